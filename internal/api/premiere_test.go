package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/app"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/waitingroom"
)

// premiereHandlers builds every handler on a store with premiere readiness
// wired as the app wires it, caches off so each request sees the last write,
// and queues of one shard, so that a handful of buyers line up in strict
// arrival order (sharded queues are tested below and in internal/dynamo).
func premiereHandlers(t *testing.T, store *dynamo.Store, clock func() time.Time) map[string]apigw.Handler {
	t.Helper()
	return premiereHandlersWith(t, store, clock, 1)
}

// premiereHandlersWith is premiereHandlers with queues of that many shards
// (0: the app's default).
func premiereHandlersWith(t *testing.T, store *dynamo.Store, clock func() time.Time, shards int) map[string]apigw.Handler {
	t.Helper()
	rel, sc, wr, err := app.Premiere(store, app.PremiereConfig{}, nil)
	require.NoError(t, err)
	sc.CacheTTL, wr.SettingsTTL, wr.Shards = 0, 0, shards
	return api.Build(api.Deps{
		Catalog: &catalog.Service{Store: store}, Booking: &booking.Service{Store: store, Policy: booking.DefaultPolicy},
		Store: store, Releases: rel, Scaling: sc, WaitingRoom: wr, Now: clock,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, specValidator(t))
}

// callWR is call with extra request headers (X-Waiting-Room-Token).
func callWR(t *testing.T, hs map[string]apigw.Handler, r request, headers map[string]string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	r.headers = headers
	return call(t, hs, r)
}

const titas = "mov-titas-de-aco-o-despertar"

func TestListReleaseClassifications(t *testing.T) {
	t.Parallel()
	seededHandlers(t)
	hs := premiereHandlers(t, seedStore, func() time.Time { return now })
	list := decode[gen.ReleaseClassificationList](t, call(t, hs, request{op: operations.ListReleaseClassifications, claims: staff}), http.StatusOK)

	t.Run("listReleaseClassifications/200 lists the upcoming releases soonest first", func(t *testing.T) {
		require.NotEmpty(t, list.Items)
		today := catalog.DateOf(now)
		for i, c := range list.Items {
			assert.False(t, catalog.DateOf(c.ReleaseDate.Time).Before(today), c.Title)
			if i > 0 {
				assert.False(t, c.ReleaseDate.Time.Before(list.Items[i-1].ReleaseDate.Time))
			}
			assert.Len(t, c.Comparables, 3)
			assert.NotEmpty(t, c.Reasons)
		}
	})
	t.Run("listReleaseClassifications/200 makes the seeded franchise premiere a blockbuster from its schedule", func(t *testing.T) {
		var found *gen.ReleaseClassification
		for i := range list.Items {
			if list.Items[i].MovieID == titas {
				found = &list.Items[i]
			}
		}
		require.NotNil(t, found)
		assert.Equal(t, gen.DemandClassBLOCKBUSTER, found.DemandClass)
		assert.True(t, found.Features.Franchise)
		assert.Positive(t, found.Features.Screens)
		assert.Positive(t, found.Features.Showtimes)
		require.NotNil(t, found.Features.InterestIndex)
		assert.Equal(t, 91, *found.Features.InterestIndex)
		require.NotNil(t, found.PresaleOpensAt)
		assert.Positive(t, found.ExpectedPeak.HoldsPerSecond)
	})
	t.Run("listReleaseClassifications/200 filters by class", func(t *testing.T) {
		only := decode[gen.ReleaseClassificationList](t, call(t, hs, request{op: operations.ListReleaseClassifications, claims: staff,
			query: url.Values{"demandClass": {"NORMAL"}}}), http.StatusOK)
		for _, c := range only.Items {
			assert.Equal(t, gen.DemandClassNORMAL, c.DemandClass)
		}
		assert.Less(t, len(only.Items), len(list.Items))
	})
	t.Run("listReleaseClassifications/200 from a later day leaves earlier releases out", func(t *testing.T) {
		later := decode[gen.ReleaseClassificationList](t, call(t, hs, request{op: operations.ListReleaseClassifications, claims: staff,
			query: url.Values{"from": {catalog.DateOf(now).AddDays(30).String()}}}), http.StatusOK)
		assert.Less(t, len(later.Items), len(list.Items))
	})
	t.Run("listReleaseClassifications/400 for a malformed date", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListReleaseClassifications, claims: staff, query: url.Values{"from": {"amanhã"}}}),
			http.StatusBadRequest, "validation_failed")
	})
	t.Run("listReleaseClassifications/403 for a buyer", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListReleaseClassifications, claims: buyer}), http.StatusForbidden, "forbidden")
	})
}

func TestGetScalingPlan(t *testing.T) {
	t.Parallel()
	seededHandlers(t)
	hs := premiereHandlers(t, seedStore, func() time.Time { return now })

	t.Run("getScalingPlan/200 plans the blockbuster's premiere in São Paulo time, warm throughput a day ahead", func(t *testing.T) {
		p := decode[gen.ScalingPlan](t, call(t, hs, request{op: operations.GetScalingPlan, claims: staff}), http.StatusOK)
		assert.Equal(t, gen.ScalingPlanTimezoneAmericaSaoPaulo, p.Timezone)
		assert.Equal(t, catalog.DateOf(now).String(), p.From.String())
		assert.Equal(t, catalog.DateOf(now).AddDays(30).String(), p.To.String())
		var premiere *gen.ScalingWindow
		for i := range p.Windows {
			if p.Windows[i].ID == "premiere-"+titas {
				premiere = &p.Windows[i]
			}
		}
		require.NotNil(t, premiere, "%+v", p.Windows)
		assert.Equal(t, gen.ScalingReasonPREMIERE, premiere.Reason)
		assert.Equal(t, time.Thursday, premiere.StartsAt.In(catalog.Zone).Weekday())
		assert.Equal(t, 10, premiere.StartsAt.In(catalog.Zone).Hour())
		assert.True(t, premiere.WaitingRoom)
		assert.NotEmpty(t, premiere.ProvisionedConcurrency)
		if premiere.TableWarmThroughput != nil {
			require.NotNil(t, premiere.WarmThroughputRaiseAt)
			assert.LessOrEqual(t, premiere.WarmThroughputRaiseAt.Add(24*time.Hour), premiere.StartsAt)
		}
		assert.Empty(t, p.Overrides)
	})
	t.Run("getScalingPlan/400 when to is before from", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetScalingPlan, claims: staff,
			query: url.Values{"from": {"2026-12-10"}, "to": {"2026-12-01"}}}), http.StatusBadRequest, "validation_failed")
	})
	t.Run("getScalingPlan/403 for a buyer", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetScalingPlan, claims: buyer}), http.StatusForbidden, "forbidden")
	})
}

func overridesBody(items ...string) string { return `{"items":[` + strings.Join(items, ",") + `]}` }

func TestOverrideScalingPlan(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	hs := premiereHandlers(t, e.store, e.clock.Now)
	start := e.clock.Now().Add(2 * time.Hour).In(catalog.Zone).Truncate(time.Hour)
	item := fmt.Sprintf(`{"startsAt":%q,"endsAt":%q,"reason":"Sessões da meia-noite.","movieId":"mov-fixture","waitingRoom":true,`+
		`"provisionedConcurrency":[{"operationId":"createHold","concurrency":200}]}`, start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339))

	t.Run("overrideScalingPlan/200 answers the plan with the override as a window of its own", func(t *testing.T) {
		p := decode[gen.ScalingPlan](t, call(t, hs, request{op: operations.OverrideScalingPlan, claims: staff, body: overridesBody(item)}), http.StatusOK)
		require.Len(t, p.Overrides, 1)
		assert.Equal(t, "Sessões da meia-noite.", p.Overrides[0].Reason)
		ws := overrideWindows(p)
		require.Len(t, ws, 1)
		w := ws[0]
		assert.Equal(t, gen.ScalingWindowSourceOVERRIDE, w.Source)
		assert.Equal(t, gen.ScalingReasonMANUAL, w.Reason)
		assert.True(t, w.WaitingRoom)
		assert.Equal(t, []gen.FunctionConcurrency{{OperationID: "createHold", Concurrency: 200}}, w.ProvisionedConcurrency)
	})
	t.Run("getScalingPlan/200 reads the saved overrides back", func(t *testing.T) {
		p := decode[gen.ScalingPlan](t, call(t, hs, request{op: operations.GetScalingPlan, claims: staff}), http.StatusOK)
		require.Len(t, p.Overrides, 1)
		assert.True(t, p.Overrides[0].StartsAt.Equal(start))
	})
	t.Run("overrideScalingPlan/400 when an override ends before it starts", func(t *testing.T) {
		bad := fmt.Sprintf(`{"startsAt":%q,"endsAt":%q,"reason":"x"}`, start.Format(time.RFC3339), start.Add(-time.Hour).Format(time.RFC3339))
		p := decodeProblem(t, call(t, hs, request{op: operations.OverrideScalingPlan, claims: staff, body: overridesBody(bad)}), http.StatusBadRequest, "validation_failed")
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "items[0].endsAt", p.Errors[0].Field)
	})
	t.Run("overrideScalingPlan/400 for an operation that is not a hot function", func(t *testing.T) {
		bad := fmt.Sprintf(`{"startsAt":%q,"endsAt":%q,"reason":"x","provisionedConcurrency":[{"operationId":"getMe","concurrency":5}]}`,
			start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))
		decodeProblem(t, call(t, hs, request{op: operations.OverrideScalingPlan, claims: staff, body: overridesBody(bad)}), http.StatusBadRequest, "validation_failed")
	})
	t.Run("overrideScalingPlan/403 for a buyer", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.OverrideScalingPlan, claims: buyer, body: overridesBody()}), http.StatusForbidden, "forbidden")
	})
	t.Run("overrideScalingPlan/200 with no items removes them all", func(t *testing.T) {
		p := decode[gen.ScalingPlan](t, call(t, hs, request{op: operations.OverrideScalingPlan, claims: staff, body: overridesBody()}), http.StatusOK)
		assert.Empty(t, p.Overrides)
		assert.Empty(t, overrideWindows(p))
	})
}

func overrideWindows(p gen.ScalingPlan) []gen.ScalingWindow {
	var out []gen.ScalingWindow
	for _, w := range p.Windows {
		if w.Source == gen.ScalingWindowSourceOVERRIDE {
			out = append(out, w)
		}
	}
	return out
}

func settingsBody(mode string, rate int, showtimes ...string) string {
	q := make([]string, 0, len(showtimes))
	for _, s := range showtimes {
		q = append(q, fmt.Sprintf("%q", s))
	}
	return fmt.Sprintf(`{"mode":%q,"admissionRatePerMinute":%d,"admissionTokenTtlSeconds":600,"movieIds":[],"showtimeIds":[%s]}`,
		mode, rate, strings.Join(q, ","))
}

func (e *holdEnv) enter(t *testing.T, hs map[string]apigw.Handler, sub string, status int) gen.WaitingRoomEntry {
	t.Helper()
	return decode[gen.WaitingRoomEntry](t, call(t, hs, request{op: operations.EnterWaitingRoom, claims: buyerClaims(sub),
		body: fmt.Sprintf(`{"showtimeId":%q}`, e.showtime)}), status)
}

func (e *holdEnv) entry(t *testing.T, hs map[string]apigw.Handler, sub, id string) gen.WaitingRoomEntry {
	t.Helper()
	return decode[gen.WaitingRoomEntry](t, call(t, hs, request{op: operations.GetWaitingRoomEntry, claims: buyerClaims(sub),
		params: map[string]string{"entryId": id}}), http.StatusOK)
}

func (e *holdEnv) holdWith(t *testing.T, hs map[string]apigw.Handler, sub, token string, seats ...string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	var h map[string]string
	if token != "" {
		h = map[string]string{"X-Waiting-Room-Token": token}
	}
	return callWR(t, hs, request{op: operations.CreateHold, claims: buyerClaims(sub), body: holdBody(e.showtime, seats...)}, h)
}

func TestWaitingRoom(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	hs := premiereHandlers(t, e.store, e.clock.Now)

	t.Run("getWaitingRoom/200 shows the defaults: nobody queues", func(t *testing.T) {
		wr := decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.GetWaitingRoom, claims: staff}), http.StatusOK)
		assert.Equal(t, gen.WaitingRoomModeOFF, wr.Mode)
		assert.False(t, wr.Active)
		assert.Zero(t, wr.Queue.Waiting)
	})
	t.Run("enterWaitingRoom/201 is BYPASSED with a token when the showtime is not in premiere mode", func(t *testing.T) {
		got := e.enter(t, hs, "user-livre", http.StatusCreated)
		assert.Equal(t, gen.WaitingRoomEntryStatusBYPASSED, got.Status)
		assert.Zero(t, got.Position)
		require.NotNil(t, got.AdmissionToken)
		assert.Regexp(t, `^WRT1\.`, *got.AdmissionToken)
	})
	t.Run("createHold/201 without a token while premiere mode is off", func(t *testing.T) {
		resp := e.holdWith(t, hs, "user-livre", "", "A1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body)
	})
	t.Run("updateWaitingRoom/400 for a rate of zero", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.UpdateWaitingRoom, claims: staff, body: settingsBody("ON", 0)}),
			http.StatusBadRequest, "validation_failed")
	})
	t.Run("updateWaitingRoom/403 for a buyer", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.UpdateWaitingRoom, claims: buyer, body: settingsBody("ON", 60)}),
			http.StatusForbidden, "forbidden")
	})
	t.Run("updateWaitingRoom/200 puts the showtime in premiere mode, one buyer a second, in the staff's name", func(t *testing.T) {
		wr := decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.UpdateWaitingRoom, claims: staff, body: settingsBody("ON", 60, e.showtime)}), http.StatusOK)
		assert.Equal(t, gen.WaitingRoomModeON, wr.Mode)
		assert.Equal(t, 60, wr.AdmissionRatePerMinute)
		assert.Equal(t, []string{e.showtime}, wr.ShowtimeIds)
		assert.Equal(t, "carla@exemplo.com.br", wr.UpdatedBy)
	})

	first := e.enter(t, hs, "user-ana", http.StatusCreated)
	second := e.enter(t, hs, "user-bruno", http.StatusCreated)
	third := e.enter(t, hs, "user-caio", http.StatusCreated)

	t.Run("enterWaitingRoom/201 gives places first come, first served", func(t *testing.T) {
		assert.Equal(t, []int{1, 2, 3}, []int{first.Position, second.Position, third.Position})
		assert.Equal(t, gen.WaitingRoomEntryStatusADMITTED, first.Status, "the head of an empty line goes straight in")
		assert.Equal(t, gen.WaitingRoomEntryStatusWAITING, third.Status)
		assert.Equal(t, 2, third.EtaSeconds, "two places behind at one a second")
		assert.Equal(t, 1, third.AheadOfYou)
		assert.Nil(t, third.AdmissionToken)
		assert.Positive(t, third.PollAfterSeconds)
	})
	t.Run("enterWaitingRoom/200 again keeps the buyer's place", func(t *testing.T) {
		again := e.enter(t, hs, "user-caio", http.StatusOK)
		assert.Equal(t, third.ID, again.ID)
		assert.Equal(t, 3, again.Position)
	})
	t.Run("getWaitingRoom/200 counts who is waiting", func(t *testing.T) {
		wr := decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.GetWaitingRoom, claims: staff}), http.StatusOK)
		assert.True(t, wr.Active)
		assert.Equal(t, 2, wr.Queue.Waiting)
	})
	t.Run("getWaitingRoomEntry/404 for another buyer's entry", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.GetWaitingRoomEntry, claims: buyerClaims("user-ana"),
			params: map[string]string{"entryId": third.ID}}), http.StatusNotFound, "not_found")
	})
	t.Run("createHold/403 without a token in premiere mode", func(t *testing.T) {
		decodeProblem(t, e.holdWith(t, hs, "user-caio", "", "B1", "INTEIRA"), http.StatusForbidden, "waiting_room_required")
	})
	t.Run("createHold/403 with another buyer's token", func(t *testing.T) {
		decodeProblem(t, e.holdWith(t, hs, "user-caio", *first.AdmissionToken, "B1", "INTEIRA"), http.StatusForbidden, "waiting_room_required")
	})
	t.Run("createHold/403 with a token signed by someone else", func(t *testing.T) {
		forged := waitingroom.NewEphemeralSigner().Sign(waitingroom.Admission{EntryID: third.ID, ShowtimeID: e.showtime,
			Subject: "user-caio", ExpiresAt: e.clock.Now().Add(time.Hour)})
		decodeProblem(t, e.holdWith(t, hs, "user-caio", forged, "B1", "INTEIRA"), http.StatusForbidden, "waiting_room_required")
	})
	t.Run("createHold/201 with the buyer's own token", func(t *testing.T) {
		resp := e.holdWith(t, hs, "user-ana", *first.AdmissionToken, "B1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body)
	})
	var caioToken string
	t.Run("getWaitingRoomEntry/200 admits the third buyer two seconds later, with a token and no Retry-After", func(t *testing.T) {
		waiting := call(t, hs, request{op: operations.GetWaitingRoomEntry, claims: buyerClaims("user-caio"), params: map[string]string{"entryId": third.ID}})
		assert.NotEmpty(t, waiting.Headers["Retry-After"])
		e.clock.Advance(2 * time.Second)
		got := e.entry(t, hs, "user-caio", third.ID)
		assert.Equal(t, gen.WaitingRoomEntryStatusADMITTED, got.Status)
		require.NotNil(t, got.AdmissionToken)
		require.NotNil(t, got.AdmissionExpiresAt)
		caioToken = *got.AdmissionToken
		admitted := call(t, hs, request{op: operations.GetWaitingRoomEntry, claims: buyerClaims("user-caio"), params: map[string]string{"entryId": third.ID}})
		assert.Empty(t, admitted.Headers["Retry-After"])
		resp := e.holdWith(t, hs, "user-caio", caioToken, "C1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body)
	})
	t.Run("getWaitingRoomEntry/200 says EXPIRED after the token's lifetime and createHold/403 refuses the old token", func(t *testing.T) {
		e.clock.Advance(11 * time.Minute)
		got := e.entry(t, hs, "user-bruno", second.ID)
		assert.Equal(t, gen.WaitingRoomEntryStatusEXPIRED, got.Status)
		assert.Nil(t, got.AdmissionToken)
		stale := e.entry(t, hs, "user-caio", third.ID)
		assert.Equal(t, gen.WaitingRoomEntryStatusEXPIRED, stale.Status)
		require.NotEmpty(t, caioToken)
		decodeProblem(t, e.holdWith(t, hs, "user-caio", caioToken, "D1", "INTEIRA"), http.StatusForbidden, "waiting_room_required")
	})
	t.Run("enterWaitingRoom/201 after expiry is a new entry at the back of a new epoch", func(t *testing.T) {
		again := e.enter(t, hs, "user-bruno", http.StatusCreated)
		assert.NotEqual(t, second.ID, again.ID)
		assert.Equal(t, 1, again.Position, "the line had been empty for minutes: no saved-up admissions")
		assert.Equal(t, gen.WaitingRoomEntryStatusADMITTED, again.Status)
	})
	t.Run("enterWaitingRoom/404 for an unknown showtime", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.EnterWaitingRoom, claims: buyerClaims("user-ana"),
			body: `{"showtimeId":"st-none"}`}), http.StatusNotFound, "not_found")
	})
}

func TestWaitingRoomIsFairUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	hs := premiereHandlersWith(t, e.store, e.clock.Now, 0) // the default: 8 shards
	decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.UpdateWaitingRoom, claims: staff, body: settingsBody("ON", 60, e.showtime)}), http.StatusOK)

	const buyers, shards = 40, waitingroom.DefaultShards
	var wg sync.WaitGroup
	var mu sync.Mutex
	positions := map[int]string{}
	for i := 0; i < buyers; i++ {
		wg.Add(1)
		go func(sub string) {
			defer wg.Done()
			resp := call(t, hs, request{op: operations.EnterWaitingRoom, claims: buyerClaims(sub), body: fmt.Sprintf(`{"showtimeId":%q}`, e.showtime)})
			if !assert.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body) {
				return
			}
			got := decode[gen.WaitingRoomEntry](t, resp, http.StatusCreated)
			mu.Lock()
			defer mu.Unlock()
			assert.Empty(t, positions[got.Position], "place %d given twice", got.Position)
			positions[got.Position] = sub
		}(fmt.Sprintf("user-%02d", i))
	}
	wg.Wait()
	t.Run("enterWaitingRoom/201 gives each of 40 simultaneous buyers a distinct place 1..40", func(t *testing.T) {
		for p := 1; p <= buyers; p++ {
			assert.NotEmpty(t, positions[p], "place %d", p)
		}
	})
	t.Run("getWaitingRoom/200 admits them at the rate: the head of each of the 8 shards at once, then one a second", func(t *testing.T) {
		wr := decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.GetWaitingRoom, claims: staff}), http.StatusOK)
		assert.Equal(t, buyers-shards, wr.Queue.Waiting)
		e.clock.Advance(8 * time.Second) // one stride of 8 intervals: one more per shard
		wr = decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.GetWaitingRoom, claims: staff}), http.StatusOK)
		assert.Equal(t, buyers-2*shards, wr.Queue.Waiting)
		e.clock.Advance(24 * time.Second) // 32 s in: 5 per shard, everyone
		wr = decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.GetWaitingRoom, claims: staff}), http.StatusOK)
		assert.Zero(t, wr.Queue.Waiting)
	})
}

func TestWaitingRoomAutoMode(t *testing.T) {
	t.Parallel()
	e := holdFixture(t, catalog.GapWarn, smallRoom...)
	hs := premiereHandlers(t, e.store, e.clock.Now)
	decode[gen.WaitingRoom](t, call(t, hs, request{op: operations.UpdateWaitingRoom, claims: staff, body: settingsBody("AUTO", 60)}), http.StatusOK)

	t.Run("createHold/201 in AUTO mode for a normal release nobody flagged", func(t *testing.T) {
		resp := e.holdWith(t, hs, "user-ana", "", "A1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body)
	})
	t.Run("createHold/403 in AUTO mode once an override turns the waiting room on for the movie", func(t *testing.T) {
		now := e.clock.Now()
		item := fmt.Sprintf(`{"startsAt":%q,"endsAt":%q,"reason":"Procura inesperada.","movieId":"mov-fixture","waitingRoom":true}`,
			now.Add(-time.Minute).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
		decode[gen.ScalingPlan](t, call(t, hs, request{op: operations.OverrideScalingPlan, claims: staff, body: overridesBody(item)}), http.StatusOK)
		decodeProblem(t, e.holdWith(t, hs, "user-bruno", "", "B1", "INTEIRA"), http.StatusForbidden, "waiting_room_required")
		got := e.enter(t, hs, "user-bruno", http.StatusCreated)
		assert.Equal(t, gen.WaitingRoomEntryStatusADMITTED, got.Status)
		resp := e.holdWith(t, hs, "user-bruno", *got.AdmissionToken, "B1", "INTEIRA")
		assert.Equal(t, http.StatusCreated, resp.StatusCode, resp.Body)
	})
}
