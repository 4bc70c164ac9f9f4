package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/programming"
)

// RetireMovie hides a movie from buyers, history kept (staff).
type RetireMovie struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h RetireMovie) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	id, err := pathParam(req.PathParameters, "movieId")
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := h.Now()
	m, err := h.Programming.RetireMovie(ctx, id, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.JSON(http.StatusOK, toAdminMovie(m, catalog.DateOf(now))), nil
}
