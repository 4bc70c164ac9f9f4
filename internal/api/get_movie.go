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

// GetMovie returns one movie's detail.
type GetMovie struct {
	Catalog *catalog.Service
	Now     func() time.Time
}

func (h GetMovie) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "movieId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	m, err := h.Catalog.Movie(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	s := toMovieSummary(m, catalog.DateOf(h.Now()))
	return apigw.JSON(http.StatusOK, gen.Movie{
		ID: s.ID, Title: s.Title, OriginalTitle: s.OriginalTitle, AgeRating: s.AgeRating, Genres: s.Genres,
		RuntimeMinutes: s.RuntimeMinutes, ReleaseDate: s.ReleaseDate, PosterURL: s.PosterURL, Status: s.Status,
		Synopsis: m.Synopsis, TrailerURL: m.TrailerURL, Distributor: m.Distributor,
	}), nil
}
