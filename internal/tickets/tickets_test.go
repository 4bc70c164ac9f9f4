package tickets

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/pricing"
)

func TestQR(t *testing.T) {
	t.Parallel()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	s, err := NewSigner(seed)
	require.NoError(t, err)
	c := Claims{TicketID: "tkt-1", ShowtimeID: "st-1", SeatID: "F13", TicketType: pricing.MeiaEstudante,
		IssuedAt: time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)}
	qr := s.Sign(c)

	t.Run("has the contract's shape", func(t *testing.T) {
		assert.Regexp(t, regexp.MustCompile(`^BLT1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`), qr)
		assert.LessOrEqual(t, len(qr), 1024)
		parts := strings.Split(qr, ".")
		body, err := base64.RawURLEncoding.DecodeString(parts[1])
		require.NoError(t, err)
		var claims map[string]any
		require.NoError(t, json.Unmarshal(body, &claims))
		assert.Equal(t, map[string]any{"v": 1.0, "tid": "tkt-1", "sid": "st-1", "seat": "F13", "tt": "MEIA_ESTUDANTE", "iat": 1796414400.0}, claims)
	})
	t.Run("verifies offline with the public key", func(t *testing.T) {
		got, err := Verify(s.PublicKey(), qr)
		require.NoError(t, err)
		assert.Equal(t, c, got)
	})
	t.Run("refuses another key", func(t *testing.T) {
		_, err := Verify(NewEphemeralSigner().PublicKey(), qr)
		assert.ErrorIs(t, err, ErrInvalidQR)
	})
	t.Run("refuses tampered claims", func(t *testing.T) {
		parts := strings.Split(qr, ".")
		forged, _ := json.Marshal(map[string]any{"v": 1, "tid": "tkt-2", "sid": "st-1", "seat": "F14", "tt": "INTEIRA", "iat": 1})
		_, err := Verify(s.PublicKey(), parts[0]+"."+base64.RawURLEncoding.EncodeToString(forged)+"."+parts[2])
		assert.ErrorIs(t, err, ErrInvalidQR)
	})
	t.Run("refuses garbage", func(t *testing.T) {
		for _, bad := range []string{"", "BLT1.", "BLT1.x.y", "XYZ1.a.b", qr + "x"} {
			_, err := Verify(s.PublicKey(), bad)
			assert.ErrorIs(t, err, ErrInvalidQR, bad)
		}
	})
	t.Run("a seed of the wrong size is refused", func(t *testing.T) {
		_, err := NewSigner([]byte("short"))
		assert.Error(t, err)
	})
}

func TestIDsAndPickupCodes(t *testing.T) {
	t.Parallel()
	t.Run("a ticket id is the same for the same order and seat, and fits the contract", func(t *testing.T) {
		assert.Equal(t, ID("ord-1", "F12"), ID("ord-1", "F12"))
		assert.NotEqual(t, ID("ord-1", "F12"), ID("ord-1", "F13"))
		assert.Regexp(t, regexp.MustCompile(`^[a-z0-9-]{1,64}$`), ID("ord-1", "F12"))
	})
	t.Run("a pickup code is six unambiguous characters", func(t *testing.T) {
		for range 100 {
			assert.Regexp(t, regexp.MustCompile(`^[2-9A-HJ-NP-Z]{6}$`), NewPickupCode())
		}
	})
	t.Run("a meia ticket names its proof, an inteira none", func(t *testing.T) {
		assert.NotEmpty(t, Ticket{Meia: true, TicketType: pricing.MeiaEstudante}.Proof())
		assert.Empty(t, Ticket{TicketType: pricing.Inteira}.Proof())
	})
}
