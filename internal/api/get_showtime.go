package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
)

// GetShowtime returns a showtime with its room's seat map and live seat
// status.
type GetShowtime struct {
	Catalog *catalog.Service
	Now     func() time.Time
}

func (h GetShowtime) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "showtimeId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	d, err := h.Catalog.Showtime(ctx, id, req.QueryStringParameters["holdId"], now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	st := toShowtime(d.ShowtimeListing)
	out := gen.ShowtimeDetail{
		ID: st.ID, MovieID: st.MovieID, MovieTitle: st.MovieTitle, CinemaID: st.CinemaID, CinemaName: st.CinemaName,
		RoomID: st.RoomID, RoomName: st.RoomName, StartsAt: st.StartsAt, EndsAt: st.EndsAt, Format: st.Format,
		Language: st.Language, Movie: toMovieSummary(d.Movie, catalog.DateOf(now)), SalesOpen: d.SalesOpen, Cancelled: d.Cancelled(),
		MeiaRemaining: d.MeiaRemaining, GapPolicy: gen.GapPolicy(d.GapPolicy),
		Availability: gen.Availability{Capacity: d.Availability.Capacity, Available: d.Availability.Available,
			Held: d.Availability.Held, Sold: d.Availability.Sold, Blocked: d.Availability.Blocked},
		SeatMap: gen.SeatMap{LayoutVersion: d.LayoutVersion, Width: d.Width, Height: d.Height,
			Seats: make([]gen.SeatState, 0, len(d.Seats))},
	}
	for _, s := range d.Seats {
		gs := gen.SeatState{ID: s.ID, Row: s.Row, Number: s.Number, X: s.X, Y: s.Y, Type: gen.SeatType(s.Type),
			Status: gen.SeatStatus(s.Status), Yours: s.Yours}
		if s.Pair != "" {
			pair := s.Pair
			gs.Pair = &pair
		}
		out.SeatMap.Seats = append(out.SeatMap.Seats, gs)
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
