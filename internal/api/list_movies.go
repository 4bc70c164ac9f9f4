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

// ListMovies lists movies now showing and coming soon, optionally at one
// cinema.
type ListMovies struct {
	Catalog *catalog.Service
	Now     func() time.Time
}

func (h ListMovies) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	q := req.QueryStringParameters
	f := catalog.MovieFilter{Status: catalog.MovieStatus(q["status"]), CinemaID: q["cinemaId"]}
	now := h.Now()
	movies, err := h.Catalog.Movies(ctx, f, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	today := catalog.DateOf(now)
	out := gen.MovieList{Items: make([]gen.MovieSummary, 0, len(movies))}
	for _, m := range movies {
		out.Items = append(out.Items, toMovieSummary(m, today))
	}
	return apigw.JSON(http.StatusOK, out), nil
}
