package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/errs"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/waitingroom"
)

// Items of premiere readiness: scaling overrides, waiting-room settings,
// queue counters, entries and the buyers' entry markers.

const (
	typeScalingOverrides = "SCALING_OVERRIDES"
	typeWaitingRoom      = "WAITING_ROOM"
	typeQueue            = "QUEUE"
	typeQueueListing     = "QUEUE_LISTING"
	typeWREntry          = "WR_ENTRY"
	typeWRBuyer          = "WR_BUYER"
	// entryKeep is how long entries outlive their admission; TTL only
	// cleans up, the status is computed from the times.
	entryKeep = 48 * time.Hour
)

type concurrencyAttr struct {
	Operation string `dynamo:"op"`
	N         int    `dynamo:"n"`
}

type overrideAttr struct {
	StartsAt    time.Time         `dynamo:"s"`
	EndsAt      time.Time         `dynamo:"e"`
	Reason      string            `dynamo:"r"`
	MovieID     string            `dynamo:"m,omitempty"`
	Concurrency []concurrencyAttr `dynamo:"c,omitempty"`
	WarmRead    int               `dynamo:"wr,omitempty"`
	WarmWrite   int               `dynamo:"ww,omitempty"`
	WaitingRoom *bool             `dynamo:"q,omitempty"`
}

type overridesItem struct {
	PK, SK    string
	Type      string
	Items     []overrideAttr
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
}

// ScalingOverrides reads the ops overrides of the scaling plan.
func (s *Store) ScalingOverrides(ctx context.Context) (scaling.Overrides, error) {
	var it overridesItem
	err := s.getOne(ctx, opsPK, skScalingOverrides, &it)
	if errs.KindOf(err) == errs.NotFound {
		return scaling.Overrides{Items: []scaling.Override{}}, nil
	}
	if err != nil {
		return scaling.Overrides{}, err
	}
	out := scaling.Overrides{Items: make([]scaling.Override, 0, len(it.Items)), Version: it.Version,
		UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy}
	for _, a := range it.Items {
		o := scaling.Override{StartsAt: a.StartsAt, EndsAt: a.EndsAt, Reason: a.Reason, MovieID: a.MovieID, WaitingRoom: a.WaitingRoom}
		for _, c := range a.Concurrency {
			o.Concurrency = append(o.Concurrency, scaling.Concurrency{Operation: c.Operation, N: c.N})
		}
		if a.WarmRead > 0 || a.WarmWrite > 0 {
			o.Warm = &scaling.Warm{Read: a.WarmRead, Write: a.WarmWrite}
		}
		out.Items = append(out.Items, o)
	}
	return out, nil
}

// PutScalingOverrides replaces the overrides if the stored version is still
// o.Version − 1.
func (s *Store) PutScalingOverrides(ctx context.Context, o scaling.Overrides) error {
	it := overridesItem{PK: opsPK, SK: skScalingOverrides, Type: typeScalingOverrides, Items: []overrideAttr{},
		Version: o.Version, UpdatedAt: o.UpdatedAt.UTC(), UpdatedBy: o.UpdatedBy}
	for _, ov := range o.Items {
		a := overrideAttr{StartsAt: ov.StartsAt.UTC(), EndsAt: ov.EndsAt.UTC(), Reason: ov.Reason, MovieID: ov.MovieID, WaitingRoom: ov.WaitingRoom}
		for _, c := range ov.Concurrency {
			a.Concurrency = append(a.Concurrency, concurrencyAttr{c.Operation, c.N})
		}
		if ov.Warm != nil {
			a.WarmRead, a.WarmWrite = ov.Warm.Read, ov.Warm.Write
		}
		it.Items = append(it.Items, a)
	}
	return s.putVersioned(ctx, "put scaling overrides", it, o.Version)
}

type waitingRoomItem struct {
	PK, SK      string
	Type        string
	Mode        string
	RatePerMin  int
	TTLSeconds  int
	MovieIDs    []string
	ShowtimeIDs []string
	Version     int
	UpdatedAt   time.Time
	UpdatedBy   string
}

// WaitingRoomSettings reads the waiting-room settings, the defaults when
// none were saved.
func (s *Store) WaitingRoomSettings(ctx context.Context) (waitingroom.Settings, error) {
	var it waitingRoomItem
	err := s.getOne(ctx, opsPK, skWaitingRoom, &it)
	if errs.KindOf(err) == errs.NotFound {
		return waitingroom.DefaultSettings, nil
	}
	if err != nil {
		return waitingroom.Settings{}, err
	}
	return waitingroom.Settings{Mode: waitingroom.Mode(it.Mode), AdmissionRatePerMinute: it.RatePerMin,
		TokenTTL: time.Duration(it.TTLSeconds) * time.Second, MovieIDs: nonNil(it.MovieIDs), ShowtimeIDs: nonNil(it.ShowtimeIDs),
		UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy, Version: it.Version}, nil
}

// PutWaitingRoomSettings writes the settings if the stored version is still
// st.Version − 1.
func (s *Store) PutWaitingRoomSettings(ctx context.Context, st waitingroom.Settings) error {
	it := waitingRoomItem{PK: opsPK, SK: skWaitingRoom, Type: typeWaitingRoom, Mode: string(st.Mode),
		RatePerMin: st.AdmissionRatePerMinute, TTLSeconds: int(st.TokenTTL / time.Second),
		MovieIDs: slices.Clone(st.MovieIDs), ShowtimeIDs: slices.Clone(st.ShowtimeIDs),
		Version: st.Version, UpdatedAt: st.UpdatedAt.UTC(), UpdatedBy: st.UpdatedBy}
	return s.putVersioned(ctx, "put waiting room settings", it, st.Version)
}

// putVersioned writes an item whose Version must follow the stored one.
func (s *Store) putVersioned(ctx context.Context, op string, item any, version int) error {
	put := s.table.Put(item)
	if version <= 1 {
		put = put.If("attribute_not_exists($)", Table.PartitionKey)
	} else {
		put = put.If("$ = ?", "Version", version-1)
	}
	err := put.Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return errs.Wrap(errs.Conflict, "version_conflict", "alguém salvou antes; tente de novo", err)
	}
	return translate(op, err)
}

// ShowtimeMovie is the movie of a showtime, from its META item alone.
func (s *Store) ShowtimeMovie(ctx context.Context, showtimeID string) (string, error) {
	var st showtimeItem
	if err := s.getOne(ctx, showtimePK(showtimeID), skMeta, &st); err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return "", errs.NotFoundf("sessão %s não encontrada", showtimeID)
		}
		return "", err
	}
	return st.listing().MovieID, nil
}

type queueItem struct {
	PK, SK     string
	Type       string
	ShowtimeID string
	Shard      int
	Shards     int
	Next       int64
	Base       int64
	OpenedMs   int64
}

func (it queueItem) queue() waitingroom.Queue {
	return waitingroom.Queue{ShowtimeID: it.ShowtimeID, Shard: it.Shard, Shards: it.Shards, Next: it.Next, Base: it.Base,
		OpenedAt: time.UnixMilli(it.OpenedMs).UTC()}
}

// JoinQueue takes the next number of one shard of a showtime's queue with
// one atomic update of the shard's counter: 1 WCU on its own partition, so
// a queue of N shards takes up to ~N × 1,000 entries/s (docs/adr/0403).
func (s *Store) JoinQueue(ctx context.Context, showtimeID string, shard, shards int, now time.Time) (int64, waitingroom.Queue, error) {
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.name),
		Key:       key(queueShardPK(showtimeID, shard), skMeta),
		UpdateExpression: aws.String("ADD #next :one SET OpenedMs = if_not_exists(OpenedMs, :now), #base = if_not_exists(#base, :zero), " +
			"ShowtimeID = :sid, #ty = :ty, #shard = :shard, #shards = if_not_exists(#shards, :shards)"),
		ExpressionAttributeNames: map[string]string{"#next": "Next", "#base": "Base", "#ty": "Type", "#shard": "Shard", "#shards": "Shards"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": num(1), ":zero": num(0), ":now": num64(now.UnixMilli()), ":sid": str(showtimeID), ":ty": str(typeQueue),
			":shard": num(shard), ":shards": num(shards),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if err != nil {
		return 0, waitingroom.Queue{}, translate("join queue", err)
	}
	var it queueItem
	if err := dynamo.UnmarshalItem(out.Attributes, &it); err != nil {
		return 0, waitingroom.Queue{}, fmt.Errorf("join queue: %w", err)
	}
	if it.Next == 1 {
		// A shard's first buyer lists the queue for the ops overview (the
		// same item for every shard: a put that changes nothing).
		listing := map[string]types.AttributeValue{"PK": str(opsPK), "SK": str(queueListSK(showtimeID)),
			"Type": str(typeQueueListing), "ShowtimeID": str(showtimeID), "Shards": num(it.Shards)}
		if _, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.name), Item: listing}); err != nil {
			return 0, waitingroom.Queue{}, translate("list queue", err)
		}
	}
	return it.Next, it.queue(), nil
}

// RestartQueue opens a new epoch of a shard after number n, if nobody took
// a number of it since and its epoch is the one that opened at opened.
func (s *Store) RestartQueue(ctx context.Context, showtimeID string, shard int, n int64, opened, now time.Time) (bool, error) {
	_, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.name),
		Key:                      key(queueShardPK(showtimeID, shard), skMeta),
		UpdateExpression:         aws.String("SET #base = :base, OpenedMs = :now"),
		ConditionExpression:      aws.String("#next = :n AND OpenedMs = :opened"),
		ExpressionAttributeNames: map[string]string{"#next": "Next", "#base": "Base"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":base": num64(n - 1), ":now": num64(now.UnixMilli()), ":n": num64(n), ":opened": num64(opened.UnixMilli()),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return false, nil
	}
	if err != nil {
		return false, translate("restart queue", err)
	}
	return true, nil
}

// Queues reads every shard of every opened queue: the listing in the OPS
// partition, then each queue's shard counters in one batch read.
func (s *Store) Queues(ctx context.Context) ([]waitingroom.Queue, error) {
	var listed []struct {
		ShowtimeID string
		Shards     int
	}
	err := s.table.Get(Table.PartitionKey, opsPK).Range(Table.SortKey, dynamo.BeginsWith, prefixQueue).All(ctx, &listed)
	if err != nil {
		return nil, translate("list queues", err)
	}
	var out []waitingroom.Queue
	for _, l := range listed {
		keys := make([]dynamo.Keyed, 0, max(1, l.Shards))
		for k := range max(1, l.Shards) {
			keys = append(keys, dynamo.Keys{queueShardPK(l.ShowtimeID, k), skMeta})
		}
		var its []queueItem
		err := s.table.Batch(Table.PartitionKey, Table.SortKey).Get(keys...).All(ctx, &its)
		if err != nil && !errors.Is(err, dynamo.ErrNotFound) {
			return nil, translate("read queue shards", err)
		}
		for _, it := range its {
			out = append(out, it.queue())
		}
	}
	slices.SortFunc(out, func(a, b waitingroom.Queue) int {
		if c := strings.Compare(a.ShowtimeID, b.ShowtimeID); c != 0 {
			return c
		}
		return a.Shard - b.Shard
	})
	return out, nil
}

type entryItem struct {
	PK, SK     string
	GSI1PK     string `dynamo:",omitempty"` // the entry's, not the marker's
	GSI1SK     string `dynamo:",omitempty"`
	Type       string
	ID         string
	ShowtimeID string
	Holder     string
	EnteredAt  time.Time
	Number     int64 `dynamo:",omitempty"`
	Base       int64 `dynamo:",omitempty"`
	OpenedMs   int64 `dynamo:",omitempty"`
	Shard      int   `dynamo:",omitempty"`
	Shards     int   `dynamo:",omitempty"`
	Bypassed   bool  `dynamo:",omitempty"`
	// EntryID names the entry on a buyer's marker.
	EntryID string `dynamo:",omitempty"`
	TTL     int64  `dynamo:"ttl"`
}

func newEntryItem(e waitingroom.Entry) entryItem {
	it := entryItem{PK: wrEntryPK(e.ID), SK: skMeta, GSI1PK: entriesByBuyerPK(e.Holder), GSI1SK: orderListSK(e.EnteredAt, e.ID), Type: typeWREntry, ID: e.ID, ShowtimeID: e.ShowtimeID, Holder: e.Holder,
		EnteredAt: e.EnteredAt.UTC(), Number: e.Number, Base: e.Base, Shard: e.Shard, Shards: e.Shards, Bypassed: e.Bypassed,
		TTL: e.EnteredAt.Add(entryKeep).Unix()}
	if !e.Bypassed {
		it.OpenedMs = e.OpenedAt.UnixMilli()
	}
	return it
}

func (it entryItem) entry() waitingroom.Entry {
	e := waitingroom.Entry{ID: it.ID, ShowtimeID: it.ShowtimeID, Holder: it.Holder, EnteredAt: it.EnteredAt,
		Number: it.Number, Base: it.Base, Shard: it.Shard, Shards: it.Shards, Bypassed: it.Bypassed}
	if !it.Bypassed {
		e.OpenedAt = time.UnixMilli(it.OpenedMs).UTC()
	}
	return e
}

// EntryOf reads a buyer's entry for a showtime through the marker, which
// carries a copy of the entry.
func (s *Store) EntryOf(ctx context.Context, showtimeID, holder string) (waitingroom.Entry, bool, error) {
	var it entryItem
	err := s.getOne(ctx, wrBuyerPK(showtimeID, holder), skMeta, &it)
	if errs.KindOf(err) == errs.NotFound {
		return waitingroom.Entry{}, false, nil
	}
	if err != nil {
		return waitingroom.Entry{}, false, err
	}
	return it.entry(), true, nil
}

// GetEntry reads an entry by id.
func (s *Store) GetEntry(ctx context.Context, id string) (waitingroom.Entry, error) {
	var it entryItem
	if err := s.getOne(ctx, wrEntryPK(id), skMeta, &it); err != nil {
		return waitingroom.Entry{}, notFoundAs(err, "entrada", id)
	}
	return it.entry(), nil
}

// PutEntry writes the entry and the buyer's marker in one transaction; the
// marker must be absent or name the entry being replaced.
func (s *Store) PutEntry(ctx context.Context, e waitingroom.Entry, replaces string) error {
	entry := newEntryItem(e)
	marker := entry
	marker.PK, marker.Type, marker.EntryID = wrBuyerPK(e.ShowtimeID, e.Holder), typeWRBuyer, e.ID
	marker.GSI1PK, marker.GSI1SK = "", ""
	ea, err := dynamo.MarshalItem(entry)
	if err != nil {
		return fmt.Errorf("marshal entry: %w", err)
	}
	ma, err := dynamo.MarshalItem(marker)
	if err != nil {
		return fmt.Errorf("marshal entry marker: %w", err)
	}
	markerCond := &types.Put{TableName: aws.String(s.name), Item: ma, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if replaces != "" {
		markerCond.ConditionExpression = aws.String("attribute_not_exists(PK) OR EntryID = :old")
		markerCond.ExpressionAttributeValues = map[string]types.AttributeValue{":old": str(replaces)}
	}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.name), Item: ea, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		{Put: markerCond},
	}})
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) && len(tce.CancellationReasons) == 2 && aws.ToString(tce.CancellationReasons[1].Code) == "ConditionalCheckFailed" {
		return errs.Wrap(errs.Conflict, "entry_exists", "você já está na fila desta sessão", err)
	}
	return translate("put entry", err)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Compile-time checks that the store serves premiere readiness.
var (
	_ waitingroom.Store = (*Store)(nil)
	_ scaling.Store     = (*Store)(nil)
)
