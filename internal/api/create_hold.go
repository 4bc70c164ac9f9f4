package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/errs"
)

// CreateHold holds seats of a showtime for the signed-in buyer.
type CreateHold struct {
	Booking *booking.Service
	Now     func() time.Time
}

func (h CreateHold) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, ok := apigw.PrincipalFrom(ctx)
	if !ok {
		return events.APIGatewayV2HTTPResponse{}, errs.E(errs.Unauthorized, "unauthorized", "faça login para continuar")
	}
	body, err := apigw.Body(req)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.CreateHoldRequest
	if err := json.Unmarshal(body, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, errs.InvalidFields(errs.FieldError{Field: "body", Message: "JSON inválido"})
	}
	hold, err := h.Booking.Hold(ctx, p.Subject, toRequest(in), h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusCreated, toHold(hold))
	resp.Headers["Location"] = "/api/holds/" + hold.ID
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
