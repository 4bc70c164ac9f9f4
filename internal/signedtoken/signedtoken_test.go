package signedtoken_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/signedtoken"
)

type claims struct {
	ID string `json:"id"`
	N  int    `json:"n"`
}

func TestSealAndOpen(t *testing.T) {
	t.Parallel()
	k := signedtoken.EphemeralKey()
	tok, err := k.Seal("TST1.", claims{ID: "a", N: 7})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(tok, "TST1."))

	t.Run("a sealed token opens with the public key", func(t *testing.T) {
		t.Parallel()
		var got claims
		require.NoError(t, signedtoken.Open(k.Public(), "TST1.", tok, &got))
		assert.Equal(t, claims{ID: "a", N: 7}, got)
	})
	refused := map[string]string{
		"another prefix":         "XXX1." + strings.TrimPrefix(tok, "TST1."),
		"a tampered payload":     "TST1.eyJpZCI6ImIiLCJuIjo3fQ" + tok[strings.LastIndexByte(tok, '.'):],
		"a truncated signature":  tok[:len(tok)-4],
		"no signature":           tok[:strings.LastIndexByte(tok, '.')],
		"garbage":                "TST1.!!!.???",
		"someone else's signing": mustSeal(t, signedtoken.EphemeralKey()),
	}
	for name, bad := range refused {
		t.Run("refuses "+name, func(t *testing.T) {
			t.Parallel()
			var got claims
			assert.ErrorIs(t, signedtoken.Open(k.Public(), "TST1.", bad, &got), signedtoken.ErrInvalid)
		})
	}
	t.Run("a seed of the wrong size is refused", func(t *testing.T) {
		t.Parallel()
		_, err := signedtoken.NewKey([]byte("short"))
		require.Error(t, err)
	})
}

func mustSeal(t *testing.T, k signedtoken.Key) string {
	t.Helper()
	tok, err := k.Seal("TST1.", claims{ID: "a", N: 7})
	require.NoError(t, err)
	return tok
}
