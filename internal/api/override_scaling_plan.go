package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/scaling"
)

// OverrideScalingPlan replaces the ops overrides and answers the plan from
// today to the last override's day, at least PlanDays (staff).
type OverrideScalingPlan struct {
	Scaling *scaling.Service
	Now     func() time.Time
}

func (h OverrideScalingPlan) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.ScalingOverrides
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	items := make([]scaling.Override, 0, len(in.Items))
	for _, o := range in.Items {
		items = append(items, fromOverride(o))
	}
	now := h.Now()
	by := p.Email
	if by == "" {
		by = p.Subject
	}
	if err := h.Scaling.SetOverrides(ctx, items, by, now); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	from := catalog.DateOf(now)
	to := from.AddDays(PlanDays)
	for _, o := range items {
		if d := catalog.DateOf(o.EndsAt); d.After(to) {
			to = d
		}
	}
	plan, err := h.Scaling.Plan(ctx, from, to, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toPlan(plan))
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
