package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/programming"
)

// ScheduleShowtimes schedules one movie × rooms × days × times, all or
// none (staff).
type ScheduleShowtimes struct {
	Programming *programming.Service
}

func (h ScheduleShowtimes) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var in gen.ScheduleRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	day := func(d time.Time) catalog.Date { return catalog.Date{Year: d.Year(), Month: d.Month(), Day: d.Day()} }
	sts, err := h.Programming.ScheduleShowtimes(ctx, programming.Request{
		MovieID: in.MovieID, CinemaID: in.CinemaID, RoomIDs: in.RoomIds, From: day(in.From.Time), To: day(in.To.Time),
		Times: in.Times, Format: catalog.Format(in.Format), Language: catalog.Language(in.Language),
	})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.AdminShowtimeList{Items: make([]gen.AdminShowtime, 0, len(sts))}
	for _, st := range sts {
		out.Items = append(out.Items, toAdminShowtime(st))
	}
	return apigw.JSON(http.StatusCreated, out), nil
}
