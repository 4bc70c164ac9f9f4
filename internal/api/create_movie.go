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

// CreateMovie adds a movie to the catalogue (staff).
type CreateMovie struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h CreateMovie) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	var in gen.MovieInput
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	m, err := h.Programming.CreateMovie(ctx, fromMovieInput(in), now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusCreated, toAdminMovie(m, catalog.DateOf(now)))
	resp.Headers["Location"] = "/api/movies/" + m.ID
	return resp, nil
}
