package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/apigw/apigwtest"
	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/waitingroom"
)

func TestScalingOverridesStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	at := day.At(10, 0)

	empty, err := store.ScalingOverrides(ctx)
	require.NoError(t, err)
	assert.Empty(t, empty.Items)
	assert.Zero(t, empty.Version)

	yes := true
	set := scaling.Overrides{Version: 1, UpdatedAt: at, UpdatedBy: "carla@exemplo.com.br", Items: []scaling.Override{{
		StartsAt: at, EndsAt: at.Add(2 * time.Hour), Reason: "Sessões da meia-noite.", MovieID: "mov-aurora", WaitingRoom: &yes,
		Concurrency: []scaling.Concurrency{{Operation: operations.CreateHold, N: 200}},
		Warm:        &scaling.Warm{Read: 20000, Write: 6000},
	}}}
	require.NoError(t, store.PutScalingOverrides(ctx, set))

	t.Run("the overrides read back as written", func(t *testing.T) {
		got, err := store.ScalingOverrides(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, got.Version)
		require.Len(t, got.Items, 1)
		assert.True(t, got.Items[0].StartsAt.Equal(at))
		assert.Equal(t, set.Items[0].Concurrency, got.Items[0].Concurrency)
		assert.Equal(t, set.Items[0].Warm, got.Items[0].Warm)
		assert.True(t, *got.Items[0].WaitingRoom)
	})
	t.Run("a write that does not follow the stored version is a conflict", func(t *testing.T) {
		stale := set
		stale.Version = 1 // the stored one is already 1
		err := store.PutScalingOverrides(ctx, stale)
		e, ok := errs.As(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, "version_conflict", e.Code)
	})
	t.Run("the next version replaces the set, also with none", func(t *testing.T) {
		require.NoError(t, store.PutScalingOverrides(ctx, scaling.Overrides{Version: 2, UpdatedAt: at}))
		got, err := store.ScalingOverrides(ctx)
		require.NoError(t, err)
		assert.Empty(t, got.Items)
		assert.Equal(t, 2, got.Version)
	})
}

func TestWaitingRoomSettingsStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	got, err := store.WaitingRoomSettings(ctx)
	require.NoError(t, err)
	assert.Equal(t, waitingroom.DefaultSettings, got, "the defaults until ops save")

	s := waitingroom.Settings{Mode: waitingroom.On, AdmissionRatePerMinute: 1500, TokenTTL: 5 * time.Minute,
		MovieIDs: []string{"mov-aurora"}, ShowtimeIDs: []string{}, Version: 1, UpdatedAt: day.At(9, 0).UTC(), UpdatedBy: "carla"}
	require.NoError(t, store.PutWaitingRoomSettings(ctx, s))
	got, err = store.WaitingRoomSettings(ctx)
	require.NoError(t, err)
	assert.Equal(t, s, got)
	assert.Equal(t, "version_conflict", opsErrCode(store.PutWaitingRoomSettings(ctx, s)))
}

func opsErrCode(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Code
	}
	return ""
}

func TestQueueCounter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	opened := day.At(12, 0)

	t.Run("concurrent buyers of one shard get every number once, in one epoch", func(t *testing.T) {
		const buyers = 60
		var wg sync.WaitGroup
		got := make(chan int64, buyers)
		for i := 0; i < buyers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, q, err := store.JoinQueue(ctx, "st-a", 3, 4, opened)
				assert.NoError(t, err)
				assert.True(t, q.OpenedAt.Equal(opened))
				assert.Equal(t, 3, q.Shard)
				assert.Equal(t, 4, q.Shards)
				got <- n
			}()
		}
		wg.Wait()
		close(got)
		seen := map[int64]bool{}
		for n := range got {
			assert.False(t, seen[n], "number %d given twice", n)
			seen[n] = true
		}
		for n := int64(1); n <= buyers; n++ {
			assert.True(t, seen[n], "number %d never given", n)
		}
	})
	t.Run("shards count apart", func(t *testing.T) {
		n, _, err := store.JoinQueue(ctx, "st-a", 0, 4, opened)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	})
	t.Run("a restart opens a new epoch of the shard only from its last number and epoch", func(t *testing.T) {
		later := opened.Add(time.Hour)
		n, q, err := store.JoinQueue(ctx, "st-a", 3, 4, later)
		require.NoError(t, err)
		ok, err := store.RestartQueue(ctx, "st-a", 3, n-1, q.OpenedAt, later)
		require.NoError(t, err)
		assert.False(t, ok, "someone took a number since")
		ok, err = store.RestartQueue(ctx, "st-a", 3, n, q.OpenedAt, later)
		require.NoError(t, err)
		assert.True(t, ok)
		_, q2, err := store.JoinQueue(ctx, "st-a", 3, 4, later)
		require.NoError(t, err)
		assert.Equal(t, n-1, q2.Base)
		assert.True(t, q2.OpenedAt.Equal(later))
		_, q0, err := store.JoinQueue(ctx, "st-a", 0, 4, later)
		require.NoError(t, err)
		assert.True(t, q0.OpenedAt.Equal(opened), "the other shards keep their epoch")
	})
	t.Run("opened queues are listed for ops with every used shard", func(t *testing.T) {
		_, _, err := store.JoinQueue(ctx, "st-b", 1, 4, opened)
		require.NoError(t, err)
		qs, err := store.Queues(ctx)
		require.NoError(t, err)
		var ids []string
		for _, q := range qs {
			ids = append(ids, fmt.Sprintf("%s/%d", q.ShowtimeID, q.Shard))
		}
		assert.Equal(t, []string{"st-a/0", "st-a/3", "st-b/1"}, ids)
	})
}

// TestWaitingRoomShardedQueueUnderConcurrentArrivals runs the waiting room
// on DynamoDB Local with a crowd arriving at once: every buyer gets one
// entry with a position of its own, the shards stay balanced, and the
// computed admissions never exceed the rate (plus one per shard).
func TestWaitingRoomShardedQueueUnderConcurrentArrivals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	_, err := store.PutCatalog(ctx, fixture(t))
	require.NoError(t, err)
	const (
		buyers = 240
		shards = 8
		rate   = 60 // a minute: one admission a second, each shard one every 8 s
	)
	svc := &waitingroom.Service{Store: store, Signer: waitingroom.NewEphemeralSigner(), Shards: shards}
	at := day.At(11, 0)
	_, err = svc.Update(ctx, waitingroom.Settings{Mode: waitingroom.On, AdmissionRatePerMinute: rate, TokenTTL: 10 * time.Minute,
		MovieIDs: []string{}, ShowtimeIDs: []string{"st-1"}}, "carla", at)
	require.NoError(t, err)

	type result struct {
		holder string
		e      waitingroom.Entry
		p      waitingroom.Place
	}
	results := make(chan result, buyers)
	// Tries that met the store unavailable; each may have taken a queue
	// number it never used.
	var lost atomic.Int64
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			holder := fmt.Sprintf("buyer-%03d", i)
			now := at.Add(time.Duration(i) * time.Millisecond) // all within a quarter of a second
			var (
				e       waitingroom.Entry
				p       waitingroom.Place
				created bool
				retried bool
			)
			err := apigwtest.Do(t, holder+" enters", func() (err error) {
				e, p, created, err = svc.Enter(ctx, holder, "st-1", now)
				if errs.KindOf(err) == errs.Unavailable {
					lost.Add(1)
					retried = true
				}
				return err
			})
			if assert.NoError(t, err, holder) {
				assert.True(t, created || retried, "%s: a first try creates the entry", holder)
				results <- result{holder, e, p}
			}
		}()
	}
	wg.Wait()
	close(results)
	var all []result
	for r := range results {
		all = append(all, r)
	}
	require.Len(t, all, buyers)
	last := 0 // the last position given
	for _, r := range all {
		last = max(last, r.p.Position)
	}
	qs, err := store.Queues(ctx)
	require.NoError(t, err)
	require.Len(t, qs, shards)

	t.Run("positions are unique and leave no hole but one an outage cost", func(t *testing.T) {
		seen := map[int]string{}
		for _, r := range all {
			want := waitingroom.Waiting
			if r.p.Position <= shards {
				want = waitingroom.Admitted
			}
			require.Equal(t, want, r.p.Status, "the first of each shard is admitted at once, the rest wait: %s at %d", r.holder, r.p.Position)
			if other, dup := seen[r.p.Position]; dup {
				t.Errorf("position %d given to %s and %s", r.p.Position, other, r.holder)
			}
			seen[r.p.Position] = r.holder
		}
		// Every number a shard gave out is a position; one not given is a
		// number taken by a try that then met the store unavailable.
		taken := map[int]bool{}
		var holes []int
		for _, q := range qs {
			for n := q.Base + 1; n <= q.Next; n++ {
				p := int(q.Position(n))
				taken[p] = true
				if _, ok := seen[p]; !ok {
					holes = append(holes, p)
				}
			}
		}
		for p, holder := range seen {
			assert.True(t, taken[p], "position %d of %s is no number a shard gave out", p, holder)
		}
		slices.Sort(holes)
		assert.LessOrEqual(t, int64(len(holes)), lost.Load(), "positions never given: %v", holes)
	})
	t.Run("the shards were taken in turn: their counts differ by at most one, or one per outage", func(t *testing.T) {
		lo, hi, taken := int64(buyers), int64(0), int64(0)
		for _, q := range qs {
			lo, hi = min(lo, q.Entered()), max(hi, q.Entered())
			taken += q.Entered()
		}
		assert.LessOrEqual(t, hi-lo, 1+lost.Load())
		assert.GreaterOrEqual(t, taken, int64(buyers), "every entry took a number")
		assert.LessOrEqual(t, taken-buyers, lost.Load(), "a number goes unused only when its try met an outage")
	})
	t.Run("each buyer has one entry, and entering again returns it", func(t *testing.T) {
		ids := map[string]bool{}
		for _, r := range all {
			assert.False(t, ids[r.e.ID], "entry %s given twice", r.e.ID)
			ids[r.e.ID] = true
		}
		for _, r := range all[:10] {
			again, _, created, err := svc.Enter(ctx, r.holder, "st-1", at.Add(time.Second))
			require.NoError(t, err)
			assert.False(t, created)
			assert.Equal(t, r.e.ID, again.ID)
		}
	})
	admitted := make([]time.Time, 0, buyers)
	for _, r := range all {
		_, p, err := svc.Get(ctx, r.holder, r.e.ID, at.Add(time.Hour))
		require.NoError(t, err)
		require.NotEqual(t, waitingroom.Waiting, p.Status)
		admitted = append(admitted, p.AdmittedAt)
	}
	slices.SortFunc(admitted, func(a, b time.Time) int { return a.Compare(b) })
	t.Run("in any minute at most the rate plus one per shard is admitted", func(t *testing.T) {
		for i, start := range admitted {
			n := 0
			for _, a := range admitted[i:] {
				if a.Sub(start) < time.Minute {
					n++
				}
			}
			assert.LessOrEqual(t, n, rate+shards, "from %s", start)
		}
	})
	t.Run("and the rate is kept: the whole crowd is through in last position/rate minutes", func(t *testing.T) {
		span := admitted[len(admitted)-1].Sub(admitted[0])
		assert.InDelta(t, float64(last)/rate*60, span.Seconds(), shards, "admissions span %s", span)
	})
	t.Run("an admitted buyer's token lets them hold; a waiting buyer has none", func(t *testing.T) {
		first := all[0]
		_, p, err := svc.Get(ctx, first.holder, first.e.ID, at.Add(time.Duration(buyers)*time.Second))
		require.NoError(t, err)
		require.Equal(t, waitingroom.Admitted, p.Status)
		assert.NoError(t, svc.Admit(ctx, first.holder, "st-1", p.Token, p.AdmittedAt))
		assert.Error(t, svc.Admit(ctx, "someone-else", "st-1", p.Token, p.AdmittedAt))
		for _, r := range all {
			if r.p.Position > shards {
				assert.Empty(t, r.p.Token)
				assert.Error(t, svc.Admit(ctx, r.holder, "st-1", "", at))
				break
			}
		}
	})
}

func TestWaitingRoomEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	at := day.At(12, 0).UTC()
	e := waitingroom.Entry{ID: "wr-1", ShowtimeID: "st-a", Holder: "ana", EnteredAt: at, Number: 7, Base: 2, OpenedAt: at.Add(-time.Minute)}
	require.NoError(t, store.PutEntry(ctx, e, ""))

	t.Run("the entry reads back by id and through the buyer's marker", func(t *testing.T) {
		got, err := store.GetEntry(ctx, "wr-1")
		require.NoError(t, err)
		assert.Equal(t, e, got)
		mine, found, err := store.EntryOf(ctx, "st-a", "ana")
		require.NoError(t, err)
		assert.True(t, found)
		assert.Equal(t, e, mine)
	})
	t.Run("a second entry of the buyer for the showtime is refused", func(t *testing.T) {
		again := e
		again.ID = "wr-2"
		assert.Equal(t, "entry_exists", opsErrCode(store.PutEntry(ctx, again, "")))
		_, err := store.GetEntry(ctx, "wr-2")
		assert.Equal(t, errs.NotFound, errs.KindOf(err), "nothing was written")
	})
	t.Run("an entry replaces the one it names", func(t *testing.T) {
		next := waitingroom.Entry{ID: "wr-3", ShowtimeID: "st-a", Holder: "ana", EnteredAt: at.Add(time.Hour), Bypassed: true}
		require.NoError(t, store.PutEntry(ctx, next, "wr-1"))
		mine, _, err := store.EntryOf(ctx, "st-a", "ana")
		require.NoError(t, err)
		assert.Equal(t, next, mine)
	})
	t.Run("an unknown entry is not found", func(t *testing.T) {
		_, err := store.GetEntry(ctx, "wr-none")
		assert.Equal(t, errs.NotFound, errs.KindOf(err))
	})
	t.Run("the movie of an unknown showtime is not found", func(t *testing.T) {
		_, err := store.ShowtimeMovie(ctx, "st-none")
		assert.Equal(t, errs.NotFound, errs.KindOf(err))
	})
}
