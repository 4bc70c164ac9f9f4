package dynamo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

	t.Run("concurrent buyers get every number once, in one epoch", func(t *testing.T) {
		const buyers = 60
		var wg sync.WaitGroup
		got := make(chan int64, buyers)
		for i := 0; i < buyers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, q, err := store.JoinQueue(ctx, "st-a", opened)
				assert.NoError(t, err)
				assert.True(t, q.OpenedAt.Equal(opened))
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
	t.Run("a restart opens a new epoch only from the last number and epoch", func(t *testing.T) {
		later := opened.Add(time.Hour)
		n, q, err := store.JoinQueue(ctx, "st-a", later)
		require.NoError(t, err)
		ok, err := store.RestartQueue(ctx, "st-a", n-1, q.OpenedAt, later)
		require.NoError(t, err)
		assert.False(t, ok, "someone took a number since")
		ok, err = store.RestartQueue(ctx, "st-a", n, q.OpenedAt, later)
		require.NoError(t, err)
		assert.True(t, ok)
		_, q2, err := store.JoinQueue(ctx, "st-a", later)
		require.NoError(t, err)
		assert.Equal(t, n-1, q2.Base)
		assert.True(t, q2.OpenedAt.Equal(later))
	})
	t.Run("opened queues are listed for ops", func(t *testing.T) {
		_, _, err := store.JoinQueue(ctx, "st-b", opened)
		require.NoError(t, err)
		qs, err := store.Queues(ctx)
		require.NoError(t, err)
		var ids []string
		for _, q := range qs {
			ids = append(ids, q.ShowtimeID)
		}
		assert.ElementsMatch(t, []string{"st-a", "st-b"}, ids)
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
