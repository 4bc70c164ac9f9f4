package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/programming"
)

// GetSchedule is a cinema's day by room, cancelled showtimes included
// (staff).
type GetSchedule struct {
	Programming *programming.Service
}

func (h GetSchedule) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	cinemaID, err := pathParam(req.PathParameters, "cinemaId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	day, err := catalog.ParseDate(req.QueryStringParameters["date"])
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "date", Message: "data inválida; use AAAA-MM-DD"})
	}
	sc, err := h.Programming.Schedule(ctx, cinemaID, day)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.ScheduleDay{CinemaID: sc.CinemaID, Date: toDate(sc.Day), CleaningMinutes: int(sc.Cleaning / time.Minute),
		Rooms: make([]gen.ScheduleRoom, 0, len(sc.Rooms))}
	for _, r := range sc.Rooms {
		row := gen.ScheduleRoom{RoomID: r.Room.ID, RoomName: r.Room.Name, Formats: fromFormats(r.Room.Formats),
			Showtimes: make([]gen.AdminShowtime, 0, len(r.Showtimes))}
		for _, st := range r.Showtimes {
			row.Showtimes = append(row.Showtimes, toAdminShowtime(st))
		}
		out.Rooms = append(out.Rooms, row)
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
