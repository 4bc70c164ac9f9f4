package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/scaling"
)

// PlanDays is the plan's length when `to` is absent.
const PlanDays = 30

// GetScalingPlan answers the plan with the ops overrides (staff).
type GetScalingPlan struct {
	Scaling *scaling.Service
	Now     func() time.Time
}

func (h GetScalingPlan) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	now := h.Now()
	q := req.QueryStringParameters
	from, err := dateParam(q, "from", catalog.DateOf(now))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	to, err := dateParam(q, "to", from.AddDays(PlanDays))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	p, err := h.Scaling.Plan(ctx, from, to, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toPlan(p))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
