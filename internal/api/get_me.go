package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
)

// GetMe returns the signed-in buyer as the token names them.
type GetMe struct{}

func (GetMe) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	p, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	roles := make([]gen.Role, 0, 2)
	for _, r := range p.Roles() {
		roles = append(roles, gen.Role(r))
	}
	resp := apigw.JSON(http.StatusOK, gen.Me{Sub: p.Subject, Email: openapi_types.Email(p.Email), Name: p.Name, Roles: roles})
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
