package tickets

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
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

// doorShowtime starts at 21:00 São Paulo time on a Friday and ends at 23:00.
var doorShowtime = catalog.ShowtimeListing{
	Showtime: catalog.Showtime{ID: "st-1", StartsAt: time.Date(2026, 12, 4, 21, 0, 0, 0, catalog.Zone).UTC(),
		Status: catalog.ShowtimeScheduled},
	EndsAt: time.Date(2026, 12, 4, 23, 0, 0, 0, catalog.Zone).UTC(), MovieTitle: "Filme", CinemaName: "Cinema", RoomName: "Sala 1",
}

func TestAdmit(t *testing.T) {
	t.Parallel()
	start, end := doorShowtime.StartsAt, doorShowtime.EndsAt
	cancelled := doorShowtime
	cancelled.Status = catalog.ShowtimeCancelled
	cases := map[string]struct {
		st     catalog.ShowtimeListing
		door   string
		now    time.Time
		code   string // "" when let in
		detail string
	}{
		"a ticket is let in exactly an hour before the start": {st: doorShowtime, door: "st-1", now: start.Add(-time.Hour)},
		"a ticket is let in at the start":                     {st: doorShowtime, door: "st-1", now: start},
		"a ticket is let in a second before the end":          {st: doorShowtime, door: "st-1", now: end.Add(-time.Second)},
		"a door with no showtime is a bad request": {st: doorShowtime, door: "", now: start,
			code: "validation_failed"},
		"a ticket of another showtime is refused, naming its own": {st: doorShowtime, door: "st-2", now: start,
			code: "wrong_showtime", detail: "este ingresso é de outra sessão: Filme, Sala 1, Cinema, em 04/12/2026 às 21:00"},
		"a ticket a second before the door opens is refused": {st: doorShowtime, door: "st-1", now: start.Add(-time.Hour - time.Second),
			code: "outside_check_in_window", detail: "a entrada da sessão de Filme, Sala 1, Cinema, em 04/12/2026 às 21:00 abre às 20:00"},
		"yesterday's ticket is refused the next day": {st: doorShowtime, door: "st-1", now: start.Add(24 * time.Hour),
			code: "outside_check_in_window", detail: "a sessão de Filme, Sala 1, Cinema, em 04/12/2026 às 21:00 terminou às 23:00; este ingresso não vale mais"},
		"a ticket at the end is refused": {st: doorShowtime, door: "st-1", now: end,
			code: "outside_check_in_window"},
		"a ticket of a cancelled showtime is not valid": {st: cancelled, door: "st-1", now: start,
			code: "ticket_not_valid"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := Admit(c.st, c.door, time.Hour, c.now)
			if c.code == "" {
				assert.NoError(t, err)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, c.code, e.Code)
			if c.detail != "" {
				assert.Equal(t, c.detail, e.Message)
			}
		})
	}
	t.Run("the opening names its date when it is the day before the start", func(t *testing.T) {
		t.Parallel()
		early := doorShowtime
		early.StartsAt = time.Date(2026, 12, 5, 0, 30, 0, 0, catalog.Zone).UTC()
		early.EndsAt = early.StartsAt.Add(2 * time.Hour)
		e, ok := errs.As(Admit(early, "st-1", time.Hour, early.StartsAt.Add(-2*time.Hour)))
		require.True(t, ok)
		assert.Equal(t, "a entrada da sessão de Filme, Sala 1, Cinema, em 05/12/2026 às 00:30 abre às 23:30 de 04/12/2026", e.Message)
	})
	t.Run("the window is the showtime's own, from opensBefore before the start until the end", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, Window{Opens: start.Add(-90 * time.Minute), Closes: end}, WindowOf(doorShowtime, 90*time.Minute))
	})
}

// doorStore is the showtimes and the check-ins a door meets.
type doorStore struct {
	showtimes map[string]catalog.ShowtimeListing
	checkedIn []string
}

func (s *doorStore) CheckIn(_ context.Context, id string, now time.Time) (Ticket, error) {
	s.checkedIn = append(s.checkedIn, id)
	return Ticket{ID: id, Status: Used, UsedAt: now}, nil
}

func (s *doorStore) TicketsByBuyer(context.Context, string, Status, int, string) ([]Ticket, string, error) {
	return nil, "", nil
}

func (s *doorStore) GetShowtimeRows(_ context.Context, id string, _ []string) (catalog.ShowtimeListing, []catalog.SeatClaim, error) {
	st, ok := s.showtimes[id]
	if !ok {
		return catalog.ShowtimeListing{}, nil, errs.NotFoundf("sessão %s não encontrada", id)
	}
	return st, nil, nil
}

func TestCheckIn(t *testing.T) {
	t.Parallel()
	signer := NewEphemeralSigner()
	qr := signer.Sign(Claims{TicketID: "tkt-1", ShowtimeID: "st-1", SeatID: "F13", TicketType: pricing.Inteira})
	start := doorShowtime.StartsAt
	cases := map[string]struct {
		door        string
		qr          string
		opensBefore time.Duration
		now         time.Time
		code        string // "" when checked in
	}{
		"inside the window, at the ticket's door, it is checked in":        {door: "st-1", now: start.Add(-30 * time.Minute)},
		"with no showtime the door is asked for it":                        {door: "", now: start, code: "validation_failed"},
		"at another showtime's door it is refused":                         {door: "st-2", now: start, code: "wrong_showtime"},
		"too early it is refused":                                          {door: "st-1", now: start.Add(-61 * time.Minute), code: "outside_check_in_window"},
		"after the end it is refused":                                      {door: "st-1", now: doorShowtime.EndsAt.Add(time.Minute), code: "outside_check_in_window"},
		"a longer opening lets it in earlier":                              {door: "st-1", opensBefore: 2 * time.Hour, now: start.Add(-90 * time.Minute)},
		"a ticket of a showtime no longer programmed is not valid":         {door: "st-9", qr: signer.Sign(Claims{TicketID: "tkt-9", ShowtimeID: "st-9"}), now: start, code: "ticket_not_valid"},
		"a QR of another key is refused before anything else is looked at": {door: "", qr: NewEphemeralSigner().Sign(Claims{TicketID: "tkt-1", ShowtimeID: "st-1"}), now: start, code: "invalid_ticket"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			store := &doorStore{showtimes: map[string]catalog.ShowtimeListing{"st-1": doorShowtime}}
			s := Service{Store: store, PublicKey: signer.PublicKey(), OpensBefore: c.opensBefore}
			code := c.qr
			if code == "" {
				code = qr
			}
			got, err := s.CheckIn(context.Background(), code, c.door, c.now)
			if c.code == "" {
				require.NoError(t, err)
				assert.Equal(t, "tkt-1", got.ID)
				assert.Equal(t, c.now, got.UsedAt)
				return
			}
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, c.code, e.Code)
			assert.Empty(t, store.checkedIn, "a refused ticket is not marked used")
		})
	}
}
