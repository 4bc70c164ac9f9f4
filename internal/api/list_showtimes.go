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
)

// ListShowtimes lists a São Paulo day's showtimes by movie, cinema or both.
type ListShowtimes struct {
	Catalog *catalog.Service
	Now     func() time.Time
}

func (h ListShowtimes) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	q := req.QueryStringParameters
	day := catalog.DateOf(h.Now())
	if s := q["date"]; s != "" {
		d, err := catalog.ParseDate(s)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "date", Message: "use o formato AAAA-MM-DD"})
		}
		day = d
	}
	sts, err := h.Catalog.Showtimes(ctx, catalog.ShowtimeFilter{MovieID: q["movieId"], CinemaID: q["cinemaId"], Day: day})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.ShowtimeList{Date: toDate(day), Items: make([]gen.Showtime, 0, len(sts))}
	for _, s := range sts {
		out.Items = append(out.Items, toShowtime(s))
	}
	return apigw.JSON(http.StatusOK, out), nil
}
