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

// ListAdminMovies lists every movie, retired ones included (staff).
type ListAdminMovies struct {
	Programming *programming.Service
	Now         func() time.Time
}

func (h ListAdminMovies) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	ms, err := h.Programming.Movies(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	today := catalog.DateOf(h.Now())
	out := gen.AdminMovieList{Items: make([]gen.AdminMovie, 0, len(ms))}
	for _, m := range ms {
		out.Items = append(out.Items, toAdminMovie(m, today))
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}
