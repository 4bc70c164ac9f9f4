package api

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/auth"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/money"
)

// Conversions from domain values to the generated wire types.

func toMoney(m money.BRL) gen.Money {
	return gen.Money{Amount: int64(m), Currency: gen.MoneyCurrencyBRL}
}

func toDate(d catalog.Date) openapi_types.Date {
	return openapi_types.Date{Time: d.Start()}
}

func toMovieSummary(m catalog.Movie, today catalog.Date) gen.MovieSummary {
	genres := m.Genres
	if genres == nil {
		genres = []string{}
	}
	return gen.MovieSummary{
		ID: m.ID, Title: m.Title, OriginalTitle: m.OriginalTitle, AgeRating: gen.AgeRating(m.AgeRating),
		Genres: genres, RuntimeMinutes: m.RuntimeMinutes, ReleaseDate: toDate(m.ReleaseDate),
		PosterURL: m.PosterURL, Status: gen.MovieStatus(m.StatusOn(today)),
	}
}

func toShowtime(s catalog.ShowtimeListing) gen.Showtime {
	return gen.Showtime{
		ID: s.ID, MovieID: s.MovieID, MovieTitle: s.MovieTitle, CinemaID: s.CinemaID, CinemaName: s.CinemaName,
		RoomID: s.RoomID, RoomName: s.RoomName, StartsAt: s.StartsAt.UTC(), EndsAt: s.EndsAt.UTC(),
		Format: gen.Format(s.Format), Language: gen.Language(s.Language),
	}
}

// pathParam reads a path parameter the spec has already validated.
func pathParam(params map[string]string, name string) (string, error) {
	v, err := url.PathUnescape(params[name])
	if err != nil || v == "" {
		return "", errs.InvalidFields(errs.FieldError{Field: name, Message: "parâmetro de caminho inválido"})
	}
	return v, nil
}

// caller is the signed-in principal of a buyer or staff operation.
// apigw.Wrap refuses those operations without one, so a missing principal
// here means a handler was wired to a public route: it is refused as well.
func caller(ctx context.Context) (auth.Principal, error) {
	p, ok := apigw.PrincipalFrom(ctx)
	if !ok {
		return auth.Principal{}, unauthorized()
	}
	return p, nil
}

// decodeBody reads the JSON body the contract has already validated into
// out, and returns the raw bytes for the handlers that also need them
// (idempotency hashing, signature checks).
func decodeBody(req events.APIGatewayV2HTTPRequest, out any) ([]byte, error) {
	body, err := apigw.Body(req)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return nil, errs.InvalidFields(errs.FieldError{Field: "body", Message: "JSON inválido"})
	}
	return body, nil
}
