package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
)

// GetHealth answers 200 when the table answers, 503 when it does not.
type GetHealth struct {
	Store Pinger
	Now   func() time.Time
}

func (h GetHealth) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if err := h.Store.Ping(ctx); err != nil {
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("health: %w", err)
	}
	resp := apigw.JSON(http.StatusOK, gen.Health{Status: gen.HealthStatusOk, Table: gen.HealthTableOk, Time: h.Now().UTC()})
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
