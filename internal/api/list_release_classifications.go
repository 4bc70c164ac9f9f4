package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/releases"
)

// ListReleaseClassifications classifies the upcoming releases (staff).
type ListReleaseClassifications struct {
	Releases *releases.Service
	Now      func() time.Time
}

func (h ListReleaseClassifications) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	now := h.Now()
	from, err := dateParam(req.QueryStringParameters, "from", catalog.DateOf(now))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	class := releases.Class(req.QueryStringParameters["demandClass"])
	cs, err := h.Releases.Upcoming(ctx, from, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.ReleaseClassificationList{GeneratedAt: now.UTC(), Items: make([]gen.ReleaseClassification, 0, len(cs))}
	for _, c := range cs {
		if class == "" || c.Class == class {
			out.Items = append(out.Items, toClassification(c))
		}
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

// dateParam reads an optional São Paulo date from the query.
func dateParam(q map[string]string, name string, def catalog.Date) (catalog.Date, error) {
	s := q[name]
	if s == "" {
		return def, nil
	}
	d, err := catalog.ParseDate(s)
	if err != nil {
		return catalog.Date{}, errs.InvalidFields(errs.FieldError{Field: name, Message: "use o formato AAAA-MM-DD"})
	}
	return d, nil
}
