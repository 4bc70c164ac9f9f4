package api

import (
	"math"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/waitingroom"
)

// Wire forms of premiere readiness: release classifications, the scaling
// plan and the waiting room.

func toClassification(c releases.Classification) gen.ReleaseClassification {
	f := c.Features
	out := gen.ReleaseClassification{
		MovieID: c.MovieID, Title: c.Title, ReleaseDate: toDate(c.ReleaseDate), DemandClass: gen.DemandClass(c.Class),
		Score: float32(math.Round(c.Score*100) / 100),
		ExpectedPeak: gen.ExpectedPeak{At: c.Peak.At.UTC(), BuyersPerMinute: c.Peak.BuyersPerMinute,
			HoldsPerSecond: float32(c.Peak.HoldAttemptsPerSecond)},
		Features: gen.ReleaseFeatures{Franchise: f.Franchise, Sequel: f.Sequel, Genres: nonNilStrings(f.Genres),
			AgeRating: gen.AgeRating(f.AgeRating), Screens: f.Screens, Showtimes: f.Showtimes,
			PresaleTicketsPerHour: float32(f.PresaleTicketsPerHour)},
		Comparables: make([]gen.ComparableRelease, 0, len(c.Comparables)),
		Reasons:     nonNilStrings(c.Reasons),
	}
	if f.HasInterest {
		n := f.InterestIndex
		out.Features.InterestIndex = &n
	}
	if !c.PresaleOpensAt.IsZero() {
		at := c.PresaleOpensAt.UTC()
		out.PresaleOpensAt = &at
	}
	for _, cp := range c.Comparables {
		out.Comparables = append(out.Comparables, gen.ComparableRelease{Title: cp.Title, OpeningDayTickets: cp.OpeningDayTickets})
	}
	return out
}

func toConcurrency(cs []scaling.Concurrency) []gen.FunctionConcurrency {
	out := make([]gen.FunctionConcurrency, 0, len(cs))
	for _, c := range cs {
		out = append(out, gen.FunctionConcurrency{OperationID: c.Operation, Concurrency: c.N})
	}
	return out
}

func toPlan(p scaling.Plan) gen.ScalingPlan {
	out := gen.ScalingPlan{GeneratedAt: p.GeneratedAt.UTC(), Timezone: gen.ScalingPlanTimezoneAmericaSaoPaulo,
		From: toDate(p.From), To: toDate(p.To), Windows: make([]gen.ScalingWindow, 0, len(p.Windows)),
		Overrides: make([]gen.ScalingOverride, 0, len(p.Overrides))}
	for _, w := range p.Windows {
		gw := gen.ScalingWindow{ID: w.ID, Source: gen.ScalingWindowSource(w.Source), Reason: gen.ScalingReason(w.Reason),
			DemandClass: gen.DemandClass(w.Class), StartsAt: w.StartsAt.UTC(), EndsAt: w.EndsAt.UTC(),
			ProvisionedConcurrency: toConcurrency(w.Concurrency), WaitingRoom: w.WaitingRoom,
			Alarms: gen.AlarmThresholds{ErrorRatePercent: float32(w.Alarms.ErrorRatePercent), P99LatencyMs: w.Alarms.P99LatencyMs,
				ThrottledRequestsPerMinute: w.Alarms.ThrottledPerMinute}}
		if w.MovieID != "" {
			id := w.MovieID
			gw.MovieID = &id
		}
		if w.Warm != nil {
			gw.TableWarmThroughput = &gen.TableWarmThroughput{ReadUnitsPerSecond: w.Warm.Read, WriteUnitsPerSecond: w.Warm.Write}
			at := w.WarmRaiseAt.UTC()
			gw.WarmThroughputRaiseAt = &at
		}
		out.Windows = append(out.Windows, gw)
	}
	for _, o := range p.Overrides {
		out.Overrides = append(out.Overrides, toOverride(o))
	}
	return out
}

func toOverride(o scaling.Override) gen.ScalingOverride {
	out := gen.ScalingOverride{StartsAt: o.StartsAt.UTC(), EndsAt: o.EndsAt.UTC(), Reason: o.Reason, WaitingRoom: o.WaitingRoom}
	if o.MovieID != "" {
		id := o.MovieID
		out.MovieID = &id
	}
	if len(o.Concurrency) > 0 {
		cs := toConcurrency(o.Concurrency)
		out.ProvisionedConcurrency = &cs
	}
	if o.Warm != nil {
		out.TableWarmThroughput = &gen.TableWarmThroughput{ReadUnitsPerSecond: o.Warm.Read, WriteUnitsPerSecond: o.Warm.Write}
	}
	return out
}

func fromOverride(in gen.ScalingOverride) scaling.Override {
	o := scaling.Override{StartsAt: in.StartsAt, EndsAt: in.EndsAt, Reason: strings.TrimSpace(in.Reason), WaitingRoom: in.WaitingRoom}
	if in.MovieID != nil {
		o.MovieID = *in.MovieID
	}
	if in.ProvisionedConcurrency != nil {
		for _, c := range *in.ProvisionedConcurrency {
			o.Concurrency = append(o.Concurrency, scaling.Concurrency{Operation: c.OperationID, N: c.Concurrency})
		}
	}
	if in.TableWarmThroughput != nil {
		o.Warm = &scaling.Warm{Read: in.TableWarmThroughput.ReadUnitsPerSecond, Write: in.TableWarmThroughput.WriteUnitsPerSecond}
	}
	return o
}

func toWaitingRoom(o waitingroom.Overview) gen.WaitingRoom {
	return gen.WaitingRoom{Mode: gen.WaitingRoomMode(o.Mode), AdmissionRatePerMinute: o.AdmissionRatePerMinute,
		AdmissionTokenTTLSeconds: int(o.TokenTTL / time.Second), MovieIds: nonNilStrings(o.MovieIDs),
		ShowtimeIds: nonNilStrings(o.ShowtimeIDs), Active: o.Active,
		Queue: gen.WaitingRoomQueue{Waiting: int(o.Figures.Waiting), AdmittedLastMinute: int(max(0, o.Figures.AdmittedLastMinute)),
			OldestWaitSeconds: int(o.Figures.OldestWait / time.Second)},
		UpdatedAt: o.UpdatedAt.UTC(), UpdatedBy: o.UpdatedBy}
}

func toEntry(e waitingroom.Entry, p waitingroom.Place) gen.WaitingRoomEntry {
	out := gen.WaitingRoomEntry{ID: e.ID, ShowtimeID: e.ShowtimeID, Status: gen.WaitingRoomEntryStatus(p.Status),
		Position: p.Position, AheadOfYou: p.AheadOfYou, EtaSeconds: ceilSeconds(p.ETA), PollAfterSeconds: ceilSeconds(p.PollAfter),
		EnteredAt: e.EnteredAt.UTC()}
	if !p.AdmittedAt.IsZero() {
		at := p.AdmittedAt.UTC()
		out.AdmittedAt = &at
	}
	if p.Token != "" {
		tok, exp := p.Token, p.ExpiresAt.UTC()
		out.AdmissionToken, out.AdmissionExpiresAt = &tok, &exp
	}
	return out
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// waitingRoomToken reads X-Waiting-Room-Token whatever its case (API
// Gateway lowercases header names; other callers may not).
func waitingRoomToken(req events.APIGatewayV2HTTPRequest) string {
	const name = "X-Waiting-Room-Token"
	if v, ok := req.Headers[strings.ToLower(name)]; ok {
		return v
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
