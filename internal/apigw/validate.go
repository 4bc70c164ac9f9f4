package apigw

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
)

// MaxBodyBytes is the largest request body accepted (64 KiB); larger bodies
// get 413 before anything reads them.
const MaxBodyBytes = 64 << 10

// Validator checks requests against the contract.
type Validator struct {
	doc    *openapi3.T
	routes map[string]*routers.Route // by operationId
}

// NewValidator indexes the spec's operations by operationId. Every operation
// of the registry must be in the spec.
func NewValidator(doc *openapi3.T) (*Validator, error) {
	v := &Validator{doc: doc, routes: map[string]*routers.Route{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			v.routes[op.OperationID] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
		}
	}
	for _, op := range operations.All {
		if _, ok := v.routes[op.ID]; !ok {
			return nil, fmt.Errorf("operation %s is not in the spec", op.ID)
		}
	}
	return v, nil
}

// Body returns the decoded request body.
func Body(req events.APIGatewayV2HTTPRequest) ([]byte, error) {
	if req.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return nil, errs.InvalidFields(errs.FieldError{Field: "body", Message: "corpo em base64 inválido"})
		}
		return b, nil
	}
	return []byte(req.Body), nil
}

// Validate checks the request's parameters and body against the operation in
// the spec and returns a 400 naming every bad field, or 413 for a body over
// the limit.
func (v *Validator) Validate(ctx context.Context, opID string, req events.APIGatewayV2HTTPRequest) error {
	route, ok := v.routes[opID]
	if !ok {
		return fmt.Errorf("validate: operation %s is not in the spec", opID)
	}
	body, err := Body(req)
	if err != nil {
		return err
	}
	if len(body) > MaxBodyBytes {
		return errs.E(errs.TooLarge, "payload_too_large", fmt.Sprintf("o corpo da requisição passa de %d KiB", MaxBodyBytes>>10))
	}
	hreq, err := toHTTPRequest(ctx, req, body)
	if err != nil {
		return errs.InvalidFields(errs.FieldError{Field: "url", Message: "URL inválida"})
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    hreq,
		PathParams: req.PathParameters,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:         true,
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			// kin-openapi fills a property's default in place of a missing
			// one and takes an explicit null for missing, so
			// {"installments": null} would pass as 1. The handlers read the
			// body as sent, never the filled copy, so a null must meet its
			// schema: refused unless the schema is nullable.
			SkipSettingDefaults: true,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return errs.InvalidFields(fieldErrors(err)...)
	}
	return nil
}

func toHTTPRequest(ctx context.Context, req events.APIGatewayV2HTTPRequest, body []byte) (*http.Request, error) {
	u := &url.URL{Path: req.RawPath, RawQuery: req.RawQueryString}
	method := req.RequestContext.HTTP.Method
	var r io.Reader
	if len(body) > 0 {
		r = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return nil, err
	}
	for k, v := range req.Headers {
		hreq.Header.Set(k, v)
	}
	for _, c := range req.Cookies {
		hreq.Header.Add("Cookie", c)
	}
	return hreq, nil
}

// fieldErrors turns kin-openapi's errors into named fields.
func fieldErrors(err error) []errs.FieldError {
	// A request error is matched first: its cause may itself be a MultiError
	// of schema errors, which belong to its parameter or body.
	var reqErr *openapi3filter.RequestError
	if errors.As(err, &reqErr) {
		field := "body"
		if reqErr.Parameter != nil {
			field = reqErr.Parameter.Name
		}
		var inner openapi3.MultiError
		if errors.As(reqErr.Err, &inner) {
			var out []errs.FieldError
			for _, e := range inner {
				out = append(out, schemaField(field, reqErr, e))
			}
			return out
		}
		return []errs.FieldError{schemaField(field, reqErr, reqErr.Err)}
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		var out []errs.FieldError
		for _, e := range multi {
			out = append(out, fieldErrors(e)...)
		}
		return out
	}
	var secErr *openapi3filter.SecurityRequirementsError
	if errors.As(err, &secErr) {
		return []errs.FieldError{{Field: "Authorization", Message: "credenciais ausentes"}}
	}
	return []errs.FieldError{{Field: "request", Message: "requisição inválida"}}
}

func schemaField(field string, reqErr *openapi3filter.RequestError, err error) errs.FieldError {
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		if ptr := schemaErr.JSONPointer(); len(ptr) > 0 {
			if reqErr.Parameter == nil {
				field = strings.Join(ptr, ".")
			} else {
				field = field + "." + strings.Join(ptr, ".")
			}
		}
		return errs.FieldError{Field: field, Message: schemaMessage(schemaErr)}
	}
	msg := reqErr.Reason
	if msg == "" && err != nil {
		msg = err.Error()
	}
	if errors.Is(err, openapi3filter.ErrInvalidRequired) || errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired) {
		msg = "é obrigatório"
	}
	return errs.FieldError{Field: field, Message: msg}
}

// schemaMessage says in pt-BR which rule of the schema a value broke.
func schemaMessage(e *openapi3.SchemaError) string {
	switch e.SchemaField {
	case "required":
		return "é obrigatório"
	case "enum":
		return "valor não permitido"
	case "pattern", "format":
		return "formato inválido"
	case "type":
		return "tipo inválido"
	case "nullable":
		return "não pode ser nulo"
	case "minLength", "maxLength":
		return "tamanho inválido"
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return "valor fora do intervalo permitido"
	case "minItems", "maxItems":
		return "quantidade de itens fora do intervalo permitido"
	case "uniqueItems":
		return "itens repetidos"
	case "additionalProperties":
		return "campo não permitido"
	}
	return "valor inválido"
}
