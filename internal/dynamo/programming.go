package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/programming"
)

// The back office's store: movies, rooms and their layout versions, and
// the schedule, whose overlaps the busy-hour items decide (docs/adr/0601).

const (
	typeLayout       = "LAYOUT"
	typeRoomBusy     = "ROOMBUSY"
	typeNotice       = "NOTICE"
	typeCancellation = "CANCELLATION"
	scheduleAttempts = 12
)

// layoutItem is one published version of a room's layout; it never
// changes once written.
type layoutItem struct {
	PK, SK        string
	Type          string
	CinemaID      string
	RoomID        string
	Version       int
	Width, Height int
	Capacity      int
	Seats         []seatAttr
}

func newLayoutItem(cinemaID, roomID string, l catalog.Layout) layoutItem {
	r := newRoomItem(catalog.Room{CinemaID: cinemaID, ID: roomID, Layout: l})
	return layoutItem{PK: cinemaPK(cinemaID), SK: layoutSK(roomID, l.Version), Type: typeLayout, CinemaID: cinemaID,
		RoomID: roomID, Version: l.Version, Width: l.Width, Height: l.Height, Capacity: l.Capacity(), Seats: r.Seats}
}

// GetRoomLayout reads a room with the layout of one version: the version's
// own item, or the room's current layout when that is the version (rooms
// stored before versions were kept apart).
func (s *Store) GetRoomLayout(ctx context.Context, cinemaID, roomID string, version int) (catalog.Room, error) {
	room, err := s.GetRoom(ctx, cinemaID, roomID)
	if err != nil {
		return catalog.Room{}, err
	}
	if room.Layout.Version == version {
		return room, nil
	}
	var it layoutItem
	if err := s.getOne(ctx, cinemaPK(cinemaID), layoutSK(roomID, version), &it); err != nil {
		return catalog.Room{}, notFoundAs(err, "layout", fmt.Sprintf("%s v%d", roomID, version))
	}
	l := roomItem{LayoutVersion: it.Version, Width: it.Width, Height: it.Height, Seats: it.Seats}.room().Layout
	room.Layout = l
	return room, nil
}

// ListRooms reads a cinema's rooms with their current layouts: one query of
// the cinemas partition of GSI1.
func (s *Store) ListRooms(ctx context.Context, cinemaID string) ([]catalog.Room, error) {
	var items []roomItem
	err := s.table.Get("GSI1PK", gsiCinemas).Index(gsi1).
		Range("GSI1SK", dynamo.BeginsWith, roomListSK(cinemaID, "")).All(ctx, &items)
	if err != nil {
		return nil, translate("list rooms", err)
	}
	out := make([]catalog.Room, 0, len(items))
	for _, it := range items {
		out = append(out, it.room())
	}
	return out, nil
}

// CreateMovie writes a movie whose id is free.
func (s *Store) CreateMovie(ctx context.Context, m catalog.Movie) error {
	err := s.table.Put(newMovieItem(m)).If("attribute_not_exists($)", Table.PartitionKey).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return programming.ErrExists
	}
	return translate("create movie", err)
}

// SaveMovie replaces a movie that exists.
func (s *Store) SaveMovie(ctx context.Context, m catalog.Movie) error {
	err := s.table.Put(newMovieItem(m)).If("attribute_exists($)", Table.PartitionKey).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return errs.NotFoundf("filme %s não encontrado", m.ID)
	}
	return translate("save movie", err)
}

// CreateRoom writes a room and its layout version 1 in one transaction.
func (s *Store) CreateRoom(ctx context.Context, r catalog.Room) error {
	err := s.db.WriteTx().
		Put(s.table.Put(newRoomItem(r)).If("attribute_not_exists($)", Table.PartitionKey)).
		Put(s.table.Put(newLayoutItem(r.CinemaID, r.ID, r.Layout)).If("attribute_not_exists($)", Table.PartitionKey)).
		Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return programming.ErrExists
	}
	return translate("create room", err)
}

// PublishLayout writes the layout version and makes it the room's current
// one, only while the room is still at the version before.
func (s *Store) PublishLayout(ctx context.Context, r catalog.Room) error {
	err := s.db.WriteTx().
		Put(s.table.Put(newRoomItem(r)).If("LayoutVersion = ?", r.Layout.Version-1)).
		Put(s.table.Put(newLayoutItem(r.CinemaID, r.ID, r.Layout)).If("attribute_not_exists($)", Table.PartitionKey)).
		Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return programming.ErrStale
	}
	return translate("publish layout", err)
}

// busyHours groups a showtime's marks by the UTC hour item that keeps them.
func busyHours(st catalog.Showtime) map[time.Time][]time.Time {
	out := map[time.Time][]time.Time{}
	for _, m := range programming.Marks(st.StartsAt, st.BusyUntil) {
		h := m.Truncate(time.Hour)
		out[h] = append(out[h], m)
	}
	return out
}

func sortedHours(m map[time.Time][]time.Time) []time.Time {
	hs := make([]time.Time, 0, len(m))
	for h := range m {
		hs = append(hs, h)
	}
	slices.SortFunc(hs, func(a, b time.Time) int { return a.Compare(b) })
	return hs
}

// takeMarks is the update of one hour item that takes marks for a showtime:
// each mark's attribute must not exist.
func (s *Store) takeMarks(cinemaID, roomID string, hour time.Time, marks []time.Time, showtimeID string) types.TransactWriteItem {
	names := map[string]string{"#t": "Type"}
	var sets, conds []string
	for i, m := range marks {
		n := fmt.Sprintf("#m%d", i)
		names[n] = markAttr(m)
		sets = append(sets, n+" = :id")
		conds = append(conds, "attribute_not_exists("+n+")")
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.name), Key: key(roomBusyPK(cinemaID, roomID), busyHourSK(hour)),
		UpdateExpression:                    aws.String("SET #t = :type, " + strings.Join(sets, ", ")),
		ConditionExpression:                 aws.String(strings.Join(conds, " AND ")),
		ExpressionAttributeNames:            names,
		ExpressionAttributeValues:           map[string]types.AttributeValue{":id": str(showtimeID), ":type": str(typeRoomBusy)},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}
}

// freeMarks removes a showtime's marks from one hour item, each only if it
// is the showtime's own (or already gone).
func (s *Store) freeMarks(cinemaID, roomID string, hour time.Time, marks []time.Time, showtimeID string) types.TransactWriteItem {
	names := map[string]string{}
	var rems, conds []string
	for i, m := range marks {
		n := fmt.Sprintf("#m%d", i)
		names[n] = markAttr(m)
		rems = append(rems, n)
		conds = append(conds, "(attribute_not_exists("+n+") OR "+n+" = :id)")
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.name), Key: key(roomBusyPK(cinemaID, roomID), busyHourSK(hour)),
		UpdateExpression:          aws.String("REMOVE " + strings.Join(rems, ", ")),
		ConditionExpression:       aws.String(strings.Join(conds, " AND ")),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(showtimeID)},
	}}
}

// ScheduleShowtime writes the showtime and takes its marks in one
// TransactWriteItems: nothing is read to decide, the conditions decide. A
// transaction conflict (another programmer's transaction on the same hour
// item at that instant) is retried; a condition that fails is an overlap,
// or the very showtime already stored (a retry), or a cancelled showtime's
// id, which the next id suffix avoids.
func (s *Store) ScheduleShowtime(ctx context.Context, st catalog.ShowtimeListing, batch string) (catalog.ShowtimeListing, bool, error) {
	hours := busyHours(st.Showtime)
	order := sortedHours(hours)
	for attempt := 0; attempt < scheduleAttempts; attempt++ {
		it := newShowtimeItem(st)
		it.BatchID = batch
		put, err := dynamo.MarshalItem(it)
		if err != nil {
			return st, false, fmt.Errorf("schedule showtime: %w", err)
		}
		items := []types.TransactWriteItem{{Put: &types.Put{
			TableName: aws.String(s.name), Item: put,
			ConditionExpression:                 aws.String("attribute_not_exists(PK)"),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}}}
		for _, h := range order {
			items = append(items, s.takeMarks(st.CinemaID, st.RoomID, h, hours[h], st.ID))
		}
		_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return st, true, nil
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return st, false, translate("schedule showtime", err)
		}
		reasons := tce.CancellationReasons
		if failed(reasons, 0) {
			var old showtimeItem
			if err := dynamo.UnmarshalItem(reasons[0].Item, &old); err != nil {
				return st, false, fmt.Errorf("schedule showtime: %w", err)
			}
			if old.MovieID == st.MovieID && old.StartsAt.Equal(st.StartsAt) && old.Format == string(st.Format) &&
				old.Language == string(st.Language) && old.Status != string(catalog.ShowtimeCancelled) {
				return st, false, nil // already scheduled as asked: a retried request
			}
		}
		ids := map[string]bool{}
		for i, h := range order {
			if !failed(reasons, i+1) {
				continue
			}
			for _, m := range hours[h] {
				if v, ok := reasons[i+1].Item[markAttr(m)].(*types.AttributeValueMemberS); ok {
					ids[v.Value] = true
				}
			}
		}
		if len(ids) > 0 {
			return st, false, s.overlap(ctx, st.RoomID, ids)
		}
		if failed(reasons, 0) {
			// The id belongs to a cancelled showtime (or another movie
			// whose marks were freed): schedule under the next suffix.
			st.ID = nextID(st.ID)
			attempt--
			if suffix(st.ID) > 20 {
				return st, false, errs.E(errs.Conflict, "conflict", "horário remarcado vezes demais")
			}
			continue
		}
		if conflicted(reasons) {
			time.Sleep(time.Duration(5+rand.IntN(20*(attempt+1))) * time.Millisecond)
			continue
		}
		return st, false, fmt.Errorf("schedule showtime %s: unexpected cancellation %v", st.ID, reasons)
	}
	return st, false, busy("schedule showtime")
}

// nextID gives a showtime id taken by a cancelled showtime its next
// suffix: st-…-1930, st-…-1930-r2, st-…-1930-r3.
func nextID(id string) string {
	if n := suffix(id); n > 0 {
		return id[:strings.LastIndex(id, "-r")] + fmt.Sprintf("-r%d", n+1)
	}
	return id + "-r2"
}

func suffix(id string) int {
	i := strings.LastIndex(id, "-r")
	if i < 0 {
		return 0
	}
	var n int
	if _, err := fmt.Sscanf(id[i+2:], "%d", &n); err != nil {
		return 0
	}
	return n
}

// overlap reads the showtimes holding the marks and names them.
func (s *Store) overlap(ctx context.Context, roomID string, ids map[string]bool) error {
	var conflicts []programming.Conflict
	keys := make([]string, 0, len(ids))
	for id := range ids {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	for _, id := range keys {
		c := programming.Conflict{RoomID: roomID, ShowtimeID: id}
		var it showtimeItem
		if err := s.getOne(ctx, showtimePK(id), skMeta, &it); err == nil {
			c.StartsAt, c.BusyUntil = it.StartsAt.UTC(), it.BusyUntil.UTC()
		}
		conflicts = append(conflicts, c)
	}
	return programming.OverlapError(conflicts)
}

// UnscheduleShowtime deletes a showtime this batch wrote and frees its
// marks, in one transaction.
func (s *Store) UnscheduleShowtime(ctx context.Context, st catalog.ShowtimeListing, batch string) error {
	hours := busyHours(st.Showtime)
	items := []types.TransactWriteItem{{Delete: &types.Delete{
		TableName: aws.String(s.name), Key: key(showtimePK(st.ID), skMeta),
		ConditionExpression:       aws.String("BatchID = :b"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":b": str(batch)},
	}}}
	for _, h := range sortedHours(hours) {
		items = append(items, s.freeMarks(st.CinemaID, st.RoomID, h, hours[h], st.ID))
	}
	reasons, err := s.transact(ctx, "unschedule showtime", items)
	if err != nil {
		return err
	}
	if reasons != nil {
		return fmt.Errorf("unschedule showtime %s: %v", st.ID, reasons)
	}
	return s.dropEmptyHours(ctx, st.CinemaID, st.RoomID, sortedHours(hours))
}

// dropEmptyHours deletes hour items left with no mark, each only while no
// mark is on it, so that undoing a schedule leaves the table as it was.
func (s *Store) dropEmptyHours(ctx context.Context, cinemaID, roomID string, hours []time.Time) error {
	var conds []string
	for m := 0; m < 60; m += 5 {
		conds = append(conds, fmt.Sprintf("attribute_not_exists(M%02d)", m))
	}
	cond := strings.Join(conds, " AND ")
	for _, h := range hours {
		err := s.table.Delete(Table.PartitionKey, roomBusyPK(cinemaID, roomID)).Range(Table.SortKey, busyHourSK(h)).
			If(cond).Run(ctx)
		if err != nil && !dynamo.IsCondCheckFailed(err) {
			return translate("drop empty hours", err)
		}
	}
	return nil
}

// cancellationItem records, in the showtime's partition, the orders a
// cancellation refunds, so that a second call finishes what the first left
// (refunding an order frees its seats, which named it).
type cancellationItem struct {
	PK, SK   string
	Type     string
	OrderIDs []string `dynamo:",set,omitempty"`
	Reason   string
	At       time.Time
}

// CancelShowtime marks the showtime CANCELLED (ending any reschedule under
// way), frees its marks and records its orders in one transaction; a cancelled showtime only has orderIDs
// added to its record.
func (s *Store) CancelShowtime(ctx context.Context, st catalog.ShowtimeListing, reason string, orderIDs []string, now time.Time) (catalog.ShowtimeListing, []string, error) {
	if !st.Cancelled() {
		hours := busyHours(st.Showtime)
		vals := map[string]types.AttributeValue{
			":c": str(string(catalog.ShowtimeCancelled)), ":at": str(now.UTC().Format(time.RFC3339Nano)), ":r": str(reason),
		}
		items := []types.TransactWriteItem{{Update: &types.Update{
			TableName: aws.String(s.name), Key: key(showtimePK(st.ID), skMeta),
			UpdateExpression:          aws.String("SET #st = :c, CancelledAt = :at, CancelReason = :r REMOVE MovingTo"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND (attribute_not_exists(#st) OR #st <> :c)"),
			ExpressionAttributeNames:  map[string]string{"#st": "Status"},
			ExpressionAttributeValues: vals,
		}}}
		for _, h := range sortedHours(hours) {
			items = append(items, s.freeMarks(st.CinemaID, st.RoomID, h, hours[h], st.ID))
		}
		items = append(items, s.recordOrders(st.ID, reason, orderIDs, now))
		reasons, err := s.transact(ctx, "cancel showtime", items)
		if err != nil {
			return catalog.ShowtimeListing{}, nil, err
		}
		if reasons != nil && !failed(reasons, 0) {
			return catalog.ShowtimeListing{}, nil, fmt.Errorf("cancel showtime %s: %v", st.ID, reasons)
		}
		if err := s.dropEmptyHours(ctx, st.CinemaID, st.RoomID, sortedHours(hours)); err != nil {
			return catalog.ShowtimeListing{}, nil, err
		}
		// Cancelled now, or by a concurrent call: add the orders below.
	}
	if _, err := s.transact(ctx, "cancel showtime", []types.TransactWriteItem{s.recordOrders(st.ID, reason, orderIDs, now)}); err != nil {
		return catalog.ShowtimeListing{}, nil, err
	}
	out, _, err := s.GetShowtime(ctx, st.ID)
	if err != nil {
		return catalog.ShowtimeListing{}, nil, err
	}
	var rec cancellationItem
	if err := s.getOne(ctx, showtimePK(st.ID), skCancellation, &rec); err != nil {
		return catalog.ShowtimeListing{}, nil, err
	}
	sort.Strings(rec.OrderIDs)
	return out, rec.OrderIDs, nil
}

// recordOrders adds order ids to the showtime's cancellation record.
func (s *Store) recordOrders(showtimeID, reason string, orderIDs []string, now time.Time) types.TransactWriteItem {
	expr := "SET #t = :type, Reason = if_not_exists(Reason, :r), #at = if_not_exists(#at, :at)"
	vals := map[string]types.AttributeValue{
		":type": str(typeCancellation), ":r": str(reason), ":at": str(now.UTC().Format(time.RFC3339Nano)),
	}
	if len(orderIDs) > 0 {
		expr += " ADD OrderIDs :ids"
		vals[":ids"] = &types.AttributeValueMemberSS{Value: orderIDs}
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.name), Key: key(showtimePK(showtimeID), skCancellation),
		UpdateExpression:          aws.String(expr),
		ExpressionAttributeNames:  map[string]string{"#t": "Type", "#at": "At"},
		ExpressionAttributeValues: vals,
	}}
}

type noticeItem struct {
	PK, SK     string
	Type       string
	Buyer      string
	ShowtimeID string
	Kind       string
	Message    string
	At         time.Time
	ReadAt     time.Time `dynamo:",omitempty"`
	Reason     string    `dynamo:",omitempty"`
	Previous   time.Time `dynamo:",omitempty"`
}

func (it noticeItem) notice() programming.Notice {
	n := programming.Notice{Buyer: it.Buyer, ShowtimeID: it.ShowtimeID, Kind: it.Kind, Message: it.Message, At: it.At.UTC(),
		Reason: it.Reason}
	if !it.ReadAt.IsZero() {
		n.ReadAt = it.ReadAt.UTC()
	}
	if !it.Previous.IsZero() {
		n.Previous = it.Previous.UTC()
	}
	return n
}

// Notify stores a notice for the buyer, one per showtime and kind. The
// same notice written again (a retried completion) is left as it is, read
// or not; a new message replaces it, unread.
func (s *Store) Notify(ctx context.Context, n programming.Notice) error {
	it := noticeItem{PK: noticePK(n.Buyer), SK: noticeSK(n.ShowtimeID, n.Kind), Type: typeNotice, Buyer: n.Buyer,
		ShowtimeID: n.ShowtimeID, Kind: n.Kind, Message: n.Message, At: n.At.UTC(), Reason: n.Reason, Previous: n.Previous.UTC()}
	if n.Previous.IsZero() {
		it.Previous = time.Time{}
	}
	err := s.table.Put(it).If("attribute_not_exists(PK) OR Message <> ?", n.Message).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("notify", err)
}

// MarkNoticesRead sets ReadAt on a buyer's notices that have none; a key
// with no notice is skipped.
func (s *Store) MarkNoticesRead(ctx context.Context, buyer string, notices []programming.Notice, at time.Time) error {
	for _, n := range notices {
		err := s.table.Update(Table.PartitionKey, noticePK(buyer)).Range(Table.SortKey, noticeSK(n.ShowtimeID, n.Kind)).
			Set("ReadAt", at.UTC()).If("attribute_exists(PK) AND attribute_not_exists(ReadAt)").Run(ctx)
		if err != nil && !dynamo.IsCondCheckFailed(err) {
			return translate("mark notice read", err)
		}
	}
	return nil
}

// NotifyBuyer stores a notice for the buyer (orders.Noticer).
func (s *Store) NotifyBuyer(ctx context.Context, buyer, showtimeID, kind, message string, at time.Time) error {
	return s.Notify(ctx, programming.Notice{Buyer: buyer, ShowtimeID: showtimeID, Kind: kind, Message: message, At: at})
}

// Notices lists a buyer's notices.
func (s *Store) Notices(ctx context.Context, buyer string) ([]programming.Notice, error) {
	var items []noticeItem
	if err := s.table.Get(Table.PartitionKey, noticePK(buyer)).All(ctx, &items); err != nil {
		return nil, translate("list notices", err)
	}
	out := make([]programming.Notice, 0, len(items))
	for _, it := range items {
		out = append(out, it.notice())
	}
	return out, nil
}

// GetNotice reads one notice of a buyer (strongly consistent).
func (s *Store) GetNotice(ctx context.Context, buyer, showtimeID, kind string) (programming.Notice, error) {
	var it noticeItem
	err := s.table.Get(Table.PartitionKey, noticePK(buyer)).Range(Table.SortKey, dynamo.Equal, noticeSK(showtimeID, kind)).
		Consistent(true).One(ctx, &it)
	if err != nil {
		return programming.Notice{}, notFoundAs(translate("get notice", err), "aviso", kind+"."+showtimeID)
	}
	return it.notice(), nil
}

// busyItems builds the hour items that keep the marks of showtimes, for
// seeding: showtimes of one room sharing an hour share its item.
func busyItems(sts []catalog.ShowtimeListing) []any {
	type roomHour struct {
		cinema, room string
		hour         time.Time
	}
	marks := map[roomHour]map[string]types.AttributeValue{}
	var order []roomHour
	for _, st := range sts {
		if st.BusyUntil.IsZero() || st.Cancelled() {
			continue
		}
		for h, ms := range busyHours(st.Showtime) {
			k := roomHour{st.CinemaID, st.RoomID, h}
			item, ok := marks[k]
			if !ok {
				item = map[string]types.AttributeValue{
					Table.PartitionKey: str(roomBusyPK(k.cinema, k.room)), Table.SortKey: str(busyHourSK(h)), "Type": str(typeRoomBusy),
				}
				marks[k] = item
				order = append(order, k)
			}
			for _, m := range ms {
				item[markAttr(m)] = str(st.ID)
			}
		}
	}
	out := make([]any, 0, len(order))
	for _, k := range order {
		out = append(out, dynamo.Item(marks[k]))
	}
	return out
}

// Compile-time check that the store serves the back office.
var _ programming.Store = (*Store)(nil)

// RescheduleShowtime moves a showtime to next's start in one transaction:
// the showtime item gets its new start, end, busy time and GSI sort keys
// and opens for sale again, only while it still starts at from.StartsAt,
// is not cancelled and is not being moved elsewhere (two reschedules
// cannot both win); each hour item touched by the old or the
// new busy time takes the new marks (free, or the showtime's own) and
// frees the old ones it no longer needs. A new mark held by another
// showtime is showtime_overlap naming it; a showtime moved or cancelled
// meanwhile is programming.ErrStale.
func (s *Store) RescheduleShowtime(ctx context.Context, from, next catalog.ShowtimeListing, at time.Time) error {
	oldStart, err := dynamo.Marshal(from.StartsAt.UTC())
	if err != nil {
		return fmt.Errorf("reschedule showtime: %w", err)
	}
	vals := map[string]types.AttributeValue{":old": oldStart, ":c": str(string(catalog.ShowtimeCancelled))}
	for k, v := range map[string]any{":s": next.StartsAt.UTC(), ":e": next.EndsAt.UTC(), ":b": next.BusyUntil.UTC(), ":at": at.UTC()} {
		if vals[k], err = dynamo.Marshal(v); err != nil {
			return fmt.Errorf("reschedule showtime: %w", err)
		}
	}
	sortKey := str(showtimeSortKey(next.StartsAt, next.ID))
	vals[":sk1"], vals[":sk2"] = sortKey, sortKey
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: aws.String(s.name), Key: key(showtimePK(next.ID), skMeta),
		UpdateExpression:         aws.String("SET StartsAt = :s, EndsAt = :e, BusyUntil = :b, GSI1SK = :sk1, GSI2SK = :sk2, RescheduledAt = :at REMOVE MovingTo"),
		ConditionExpression:      aws.String("StartsAt = :old AND (attribute_not_exists(#st) OR #st <> :c) AND (attribute_not_exists(MovingTo) OR MovingTo = :s)"),
		ExpressionAttributeNames: map[string]string{"#st": "Status"}, ExpressionAttributeValues: vals,
	}}}
	oldHours, newHours := busyHours(from.Showtime), busyHours(next.Showtime)
	all := map[time.Time][]time.Time{}
	for h := range oldHours {
		all[h] = nil
	}
	for h := range newHours {
		all[h] = nil
	}
	order := sortedHours(all)
	for _, h := range order {
		items = append(items, s.moveMarks(next.CinemaID, next.RoomID, h, oldHours[h], newHours[h], next.ID))
	}
	for attempt := 0; attempt < scheduleAttempts; attempt++ {
		_, err := s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return s.dropEmptyHours(ctx, next.CinemaID, next.RoomID, sortedHours(oldHours))
		}
		var tce *types.TransactionCanceledException
		if !errors.As(err, &tce) {
			return translate("reschedule showtime", err)
		}
		reasons := tce.CancellationReasons
		if failed(reasons, 0) {
			return programming.ErrStale
		}
		ids := map[string]bool{}
		for i, h := range order {
			if !failed(reasons, i+1) {
				continue
			}
			for _, m := range newHours[h] {
				if v, ok := reasons[i+1].Item[markAttr(m)].(*types.AttributeValueMemberS); ok && v.Value != next.ID {
					ids[v.Value] = true
				}
			}
		}
		if len(ids) > 0 {
			return s.overlap(ctx, next.RoomID, ids)
		}
		if conflicted(reasons) {
			time.Sleep(time.Duration(5+rand.IntN(20*(attempt+1))) * time.Millisecond)
			continue
		}
		return fmt.Errorf("reschedule showtime %s: unexpected cancellation %v", next.ID, reasons)
	}
	return busy("reschedule showtime")
}

// moveMarks is the update of one hour item for a showtime that moves: it
// takes the new marks (each free or already the showtime's) and removes
// the old ones it does not keep (each the showtime's or already gone).
func (s *Store) moveMarks(cinemaID, roomID string, hour time.Time, old, next []time.Time, showtimeID string) types.TransactWriteItem {
	names := map[string]string{"#t": "Type"}
	sets := []string{"#t = :type"}
	var rems, conds []string
	i := 0
	for _, m := range next {
		n := fmt.Sprintf("#m%d", i)
		i++
		names[n] = markAttr(m)
		sets = append(sets, n+" = :id")
		conds = append(conds, "(attribute_not_exists("+n+") OR "+n+" = :id)")
	}
	for _, m := range old {
		if slices.ContainsFunc(next, func(t time.Time) bool { return t.Equal(m) }) {
			continue
		}
		n := fmt.Sprintf("#m%d", i)
		i++
		names[n] = markAttr(m)
		rems = append(rems, n)
		conds = append(conds, "(attribute_not_exists("+n+") OR "+n+" = :id)")
	}
	expr := "SET " + strings.Join(sets, ", ")
	if len(rems) > 0 {
		expr += " REMOVE " + strings.Join(rems, ", ")
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.name), Key: key(roomBusyPK(cinemaID, roomID), busyHourSK(hour)),
		UpdateExpression:                    aws.String(expr),
		ConditionExpression:                 aws.String(strings.Join(conds, " AND ")),
		ExpressionAttributeNames:            names,
		ExpressionAttributeValues:           map[string]types.AttributeValue{":id": str(showtimeID), ":type": str(typeRoomBusy)},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}
}

// CloseSales closes a showtime for sale while a reschedule moves it to
// to: the showtime item gets MovingTo, only while it starts at
// st.StartsAt, is not cancelled and is not being moved to another start.
// Closing again for the same start is a no-op, so a reschedule that a
// fault interrupted is finished by calling it again. A showtime cancelled
// or moved meanwhile is programming.ErrStale; one being moved elsewhere is
// 409 showtime_changing.
func (s *Store) CloseSales(ctx context.Context, st catalog.ShowtimeListing, to time.Time) error {
	err := s.table.Update(Table.PartitionKey, showtimePK(st.ID)).Range(Table.SortKey, skMeta).
		Set("MovingTo", to.UTC()).
		If("StartsAt = ? AND (attribute_not_exists($) OR $ <> ?) AND (attribute_not_exists(MovingTo) OR MovingTo = ?)",
			st.StartsAt.UTC(), "Status", "Status", string(catalog.ShowtimeCancelled), to.UTC()).
		Run(ctx)
	if !dynamo.IsCondCheckFailed(err) {
		return translate("close sales", err)
	}
	now, _, err := s.GetShowtimeRows(ctx, st.ID, nil)
	if err != nil {
		return err
	}
	if now.Moving() && !now.MovingTo.Equal(to) && now.StartsAt.Equal(st.StartsAt) && !now.Cancelled() {
		return errs.E(errs.Conflict, "showtime_changing", fmt.Sprintf(
			"esta sessão já está sendo remarcada para %s; repita essa remarcação para concluí-la",
			now.MovingTo.In(catalog.Zone).Format("02/01 às 15:04")))
	}
	return programming.ErrStale
}

// OpenSales opens for sale again a showtime that CloseSales closed for a
// move to to, which did not happen; any other state is left as it is.
func (s *Store) OpenSales(ctx context.Context, id string, to time.Time) error {
	err := s.table.Update(Table.PartitionKey, showtimePK(id)).Range(Table.SortKey, skMeta).
		Remove("MovingTo").If("MovingTo = ?", to.UTC()).Run(ctx)
	if dynamo.IsCondCheckFailed(err) {
		return nil
	}
	return translate("open sales", err)
}
