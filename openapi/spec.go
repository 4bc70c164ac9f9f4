// Package openapi holds the API contract, openapi.yaml, embedded so handlers,
// the local server and tests read the very file that is linted and from which
// internal/api/gen is generated.
package openapi

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:generate go tool -C .. oapi-codegen -config openapi/oapi-codegen.yaml openapi/openapi.yaml

// YAML is the contract as written.
//
//go:embed openapi.yaml
var YAML []byte

// Parse reads the contract without validating it: what a Lambda does at
// init, where every millisecond is a cold start. The tests and the lint
// validate the very same embedded file.
func Parse() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(YAML)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	return doc, nil
}

// Load parses the contract and validates it, examples included: every
// example must match its schema.
func Load() (*openapi3.T, error) {
	doc, err := Parse()
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("validate openapi.yaml: %w", err)
	}
	return doc, nil
}
