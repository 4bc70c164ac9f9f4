// Package api holds one handler per operation of the contract: decode the
// request into generated types, call the domain, encode the answer. Every
// handler is wrapped by apigw.Wrap, which validates the request against the
// spec and enforces the registry's auth level first.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/operations"
)

// Pinger reports whether the store answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is what the handlers are built from, once per Lambda init or server
// start.
type Deps struct {
	Catalog *catalog.Service
	Booking *booking.Service
	// Concessions ranks the bomboniere for a hold.
	Concessions *concessions.Service
	Store       Pinger
	Now         func() time.Time
	Log         *slog.Logger
}

// handlers maps every operation to its handler; those no issue has built yet
// answer 501 through apigw.NotImplemented.
func handlers(d Deps) map[string]apigw.Handler {
	built := map[string]apigw.Handler{
		operations.GetHealth:          GetHealth{Store: d.Store, Now: d.Now},
		operations.ListCinemas:        ListCinemas{Catalog: d.Catalog},
		operations.ListMovies:         ListMovies{Catalog: d.Catalog, Now: d.Now},
		operations.GetMovie:           GetMovie{Catalog: d.Catalog, Now: d.Now},
		operations.ListShowtimes:      ListShowtimes{Catalog: d.Catalog, Now: d.Now},
		operations.GetShowtime:        GetShowtime{Catalog: d.Catalog, Now: d.Now},
		operations.GetConcessionsMenu: GetConcessionsMenu{Catalog: d.Catalog},
		operations.ListTicketTypes:    ListTicketTypes{Catalog: d.Catalog},
		operations.CreateHold:         CreateHold{Booking: d.Booking, Now: d.Now},
		operations.GetHold:            GetHold{Booking: d.Booking, Now: d.Now},
		operations.ReleaseHold:        ReleaseHold{Booking: d.Booking, Now: d.Now},
		operations.ListHoldRecommendations: ListHoldRecommendations{Booking: d.Booking, Catalog: d.Catalog,
			Concessions: d.Concessions, Now: d.Now},
		operations.GetMe: GetMe{},
	}
	for _, op := range operations.All {
		if _, ok := built[op.ID]; !ok {
			built[op.ID] = apigw.NotImplemented(op)
		}
	}
	return built
}

// Build returns every operation's handler, wrapped, by operationId.
func Build(d Deps, v *apigw.Validator) map[string]apigw.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	raw := handlers(d)
	out := make(map[string]apigw.Handler, len(raw))
	for _, op := range operations.All {
		out[op.ID] = apigw.Wrap(op, v, d.Log, raw[op.ID])
	}
	return out
}

// Handler returns one operation's wrapped handler; a Lambda calls it at init.
func Handler(opID string, d Deps, v *apigw.Validator) (apigw.Handler, error) {
	h, ok := Build(d, v)[opID]
	if !ok {
		return nil, fmt.Errorf("no operation %s in the registry", opID)
	}
	return h, nil
}
