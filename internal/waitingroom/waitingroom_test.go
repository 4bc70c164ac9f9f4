package waitingroom_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/errs"
	"bilhetagem/internal/waitingroom"
)

var t0 = time.Date(2026, time.April, 8, 15, 0, 0, 0, time.UTC) // noon in São Paulo

func TestToken(t *testing.T) {
	t.Parallel()
	s := waitingroom.NewEphemeralSigner()
	a := waitingroom.Admission{EntryID: "wr-1", ShowtimeID: "st-1", Subject: "user-ana", ExpiresAt: t0.Add(10 * time.Minute)}
	tok := s.Sign(a)

	t.Run("has the contract's WRT1.<payload>.<sig> shape", func(t *testing.T) {
		assert.Regexp(t, `^WRT1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`, tok)
		assert.LessOrEqual(t, len(tok), 2048)
	})
	t.Run("verifies back to what it admits", func(t *testing.T) {
		got, err := s.Verify(tok)
		require.NoError(t, err)
		assert.Equal(t, a, got)
	})
	cases := map[string]string{
		"a token signed by another key": waitingroom.NewEphemeralSigner().Sign(a),
		"a changed payload":             tamper(tok, 12),
		"a cut signature":               tok[:len(tok)-4],
		"no prefix":                     strings.TrimPrefix(tok, "WRT1."),
		"an empty string":               "",
		"garbage":                       "WRT1.x.y",
	}
	for name, bad := range cases {
		t.Run("refuses "+name, func(t *testing.T) {
			_, err := s.Verify(bad)
			assert.ErrorIs(t, err, waitingroom.ErrInvalidToken)
		})
	}
	t.Run("a seed of the wrong size is refused", func(t *testing.T) {
		_, err := waitingroom.NewSigner([]byte("short"))
		assert.Error(t, err)
	})
}

func settings(rate int) waitingroom.Settings {
	s := waitingroom.DefaultSettings
	s.Mode, s.AdmissionRatePerMinute = waitingroom.On, rate
	return s
}

func TestQueueAdmitsFirstComeFirstServedAtTheRate(t *testing.T) {
	t.Parallel()
	st := settings(60) // one a second
	q := waitingroom.Queue{Next: 100, Base: 0, OpenedAt: t0}
	iv := st.Interval()
	assert.Equal(t, time.Second, iv)
	t.Run("number 1 is admitted when the queue opens, number n n−1 intervals later", func(t *testing.T) {
		assert.Equal(t, t0, q.AdmitAt(1, iv))
		assert.Equal(t, t0.Add(99*time.Second), q.AdmitAt(100, iv))
	})
	t.Run("admissions grow by the rate and stop at who entered", func(t *testing.T) {
		assert.Equal(t, int64(0), q.Admitted(t0.Add(-time.Second), iv))
		assert.Equal(t, int64(1), q.Admitted(t0, iv))
		assert.Equal(t, int64(61), q.Admitted(t0.Add(time.Minute), iv))
		assert.Equal(t, int64(100), q.Admitted(t0.Add(time.Hour), iv))
	})
	t.Run("a number taken long after the queue drained opens a new epoch", func(t *testing.T) {
		assert.False(t, q.Stale(101, t0.Add(100*time.Second), iv))
		assert.True(t, q.Stale(101, t0.Add(100*time.Second+waitingroom.BurstAllowance+time.Second), iv))
	})
}

func TestPlaceAt(t *testing.T) {
	t.Parallel()
	st := settings(60)
	e := waitingroom.Entry{ID: "wr-1", ShowtimeID: "st-1", Holder: "ana", EnteredAt: t0, Number: 31, Base: 0, OpenedAt: t0}
	cases := []struct {
		name   string
		e      waitingroom.Entry
		at     time.Time
		queued bool
		want   waitingroom.Place
	}{
		{"number 31 waits 30 s behind 30 buyers", e, t0, true,
			waitingroom.Place{Status: waitingroom.Waiting, Position: 31, AheadOfYou: 29, ETA: 30 * time.Second, PollAfter: 3 * time.Second}},
		{"ten seconds later 20 are ahead", e, t0.Add(10 * time.Second), true,
			waitingroom.Place{Status: waitingroom.Waiting, Position: 31, AheadOfYou: 19, ETA: 20 * time.Second, PollAfter: 2 * time.Second}},
		{"at its turn it is admitted for the token's lifetime", e, t0.Add(30 * time.Second), true,
			waitingroom.Place{Status: waitingroom.Admitted, Position: 31, AdmittedAt: t0.Add(30 * time.Second), ExpiresAt: t0.Add(30*time.Second + 10*time.Minute)}},
		{"after the token's lifetime it expired", e, t0.Add(30*time.Second + 10*time.Minute), true,
			waitingroom.Place{Status: waitingroom.Expired, Position: 31, AdmittedAt: t0.Add(30 * time.Second), ExpiresAt: t0.Add(30*time.Second + 10*time.Minute)}},
		{"a waiting entry goes through when premiere mode ends", e, t0, false,
			waitingroom.Place{Status: waitingroom.Bypassed, Position: 31, AdmittedAt: t0, ExpiresAt: t0.Add(10 * time.Minute), PremiereOff: true}},
		{"a bypassed entry is admitted from its entry", waitingroom.Entry{ID: "wr-2", EnteredAt: t0, Bypassed: true}, t0.Add(time.Minute), false,
			waitingroom.Place{Status: waitingroom.Bypassed, AdmittedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.want, c.e.PlaceAt(c.at, st, c.queued))
		})
	}
	t.Run("far back in a slow line the buyer polls at most every 30 s", func(t *testing.T) {
		far := e
		far.Number = 5000
		assert.Equal(t, waitingroom.MaxPoll, far.PlaceAt(t0, st, true).PollAfter)
	})
}

func TestFigures(t *testing.T) {
	t.Parallel()
	iv := settings(60).Interval()
	qs := []waitingroom.Queue{
		{ShowtimeID: "a", Next: 300, Base: 0, OpenedAt: t0},
		{ShowtimeID: "b", Next: 10, Base: 0, OpenedAt: t0},
	}
	f := waitingroom.FiguresOf(qs, t0.Add(2*time.Minute), iv)
	assert.Equal(t, int64(300-121), f.Waiting, "b has drained")
	assert.Equal(t, int64(60), f.AdmittedLastMinute)
	assert.Equal(t, 2*time.Minute, f.OldestWait)
}

func TestSettingsValidate(t *testing.T) {
	t.Parallel()
	bad := []waitingroom.Settings{
		{Mode: "SOMETIMES", AdmissionRatePerMinute: 1, TokenTTL: time.Minute},
		{Mode: waitingroom.On, AdmissionRatePerMinute: 0, TokenTTL: time.Minute},
		{Mode: waitingroom.On, AdmissionRatePerMinute: 1, TokenTTL: time.Second},
	}
	for _, s := range bad {
		err := s.Validate()
		assert.Equal(t, errs.Invalid, errs.KindOf(err), "%+v", s)
	}
	assert.NoError(t, waitingroom.DefaultSettings.Validate())
}

// tamper changes one character of a token, inside its payload.
func tamper(tok string, at int) string {
	c := byte('A')
	if tok[at] == 'A' {
		c = 'B'
	}
	return tok[:at] + string(c) + tok[at+1:]
}

func TestShardedQueueInterleavesAndSharesTheRate(t *testing.T) {
	t.Parallel()
	st := settings(60) // one a second for the showtime
	iv := st.Interval()
	shard := func(k int) waitingroom.Queue {
		return waitingroom.Queue{ShowtimeID: "st-1", Shard: k, Shards: 4, Next: 10, OpenedAt: t0}
	}
	t.Run("each of four shards admits one every four intervals", func(t *testing.T) {
		q := shard(2)
		assert.Equal(t, 4*time.Second, q.Stride(iv))
		assert.Equal(t, t0, q.AdmitAt(1, iv))
		assert.Equal(t, t0.Add(12*time.Second), q.AdmitAt(4, iv))
		assert.Equal(t, int64(3), q.Admitted(t0.Add(11*time.Second), iv))
	})
	t.Run("positions interleave the shards: number 1 of shards 0..3, then number 2", func(t *testing.T) {
		assert.Equal(t, int64(1), shard(0).Position(1))
		assert.Equal(t, int64(4), shard(3).Position(1))
		assert.Equal(t, int64(5), shard(0).Position(2))
		assert.Equal(t, int64(11), shard(2).Position(3))
	})
	t.Run("a waiting entry sees the shard's buyers ahead, four places each", func(t *testing.T) {
		e := waitingroom.Entry{ID: "wr-1", ShowtimeID: "st-1", Holder: "ana", EnteredAt: t0, Number: 3, OpenedAt: t0, Shard: 2, Shards: 4}
		p := e.PlaceAt(t0, st, true)
		assert.Equal(t, waitingroom.Place{Status: waitingroom.Waiting, Position: 11, AheadOfYou: 4, ETA: 8 * time.Second,
			PollAfter: waitingroom.MinPoll}, p)
		assert.Equal(t, waitingroom.Admitted, e.PlaceAt(t0.Add(8*time.Second), st, true).Status)
	})
	t.Run("the figures sum the shards", func(t *testing.T) {
		f := waitingroom.FiguresOf([]waitingroom.Queue{shard(0), shard(1), shard(2), shard(3)}, t0.Add(time.Minute), iv)
		// Each shard's 10 are through by 36 s; the first of each came at
		// the opening, a minute ago, and counts before the last minute.
		assert.Equal(t, int64(0), f.Waiting)
		assert.Equal(t, int64(4*9), f.AdmittedLastMinute)
	})
}
