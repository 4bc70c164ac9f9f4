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

// UpdateMovie replaces a movie's editable fields (staff).
type UpdateMovie struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h UpdateMovie) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "movieId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.MovieInput
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	m, err := h.Programming.UpdateMovie(ctx, id, fromMovieInput(in), now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, toAdminMovie(m, catalog.DateOf(now))), nil
}
