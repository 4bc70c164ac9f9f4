package openapi_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/operations"
	"bilhetagem/openapi"
)

func TestLoadValidatesTheContractAndItsExamples(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load()
	require.NoError(t, err)
	assert.Equal(t, "3.0.3", doc.OpenAPI)
}

func TestContractHasExactlyTheRegistryOperations(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load()
	require.NoError(t, err)

	type route struct{ Method, Path string }
	inSpec := map[string]route{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			require.NotEmpty(t, op.OperationID, "%s %s has no operationId", method, path)
			_, dup := inSpec[op.OperationID]
			require.False(t, dup, "operationId %s appears twice", op.OperationID)
			inSpec[op.OperationID] = route{method, path}
		}
	}
	for _, want := range operations.All {
		got, ok := inSpec[want.ID]
		if assert.True(t, ok, "registry operation %s is missing from the spec", want.ID) {
			assert.Equal(t, route{want.Method, want.Path}, got, "operation %s", want.ID)
		}
	}
	assert.Len(t, inSpec, len(operations.All), "the spec has operations the registry does not list")
}

func TestContractSecurityMatchesTheRegistryAuth(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load()
	require.NoError(t, err)
	for _, want := range operations.All {
		t.Run(want.ID+" is "+want.Auth.String(), func(t *testing.T) {
			t.Parallel()
			item := doc.Paths.Find(want.Path)
			require.NotNil(t, item, "path %s is missing", want.Path)
			op := item.GetOperation(want.Method)
			require.NotNil(t, op, "%s %s is missing", want.Method, want.Path)
			assert.Equal(t, want.Auth.String(), op.Extensions["x-auth"], "x-auth")
			require.NotNil(t, op.Security, "security must be explicit")
			bearer := len(*op.Security) == 1 && (*op.Security)[0]["bearerAuth"] != nil
			switch want.Auth {
			case operations.Buyer, operations.Staff:
				assert.True(t, bearer, "needs bearerAuth")
				assert.NotNil(t, op.Responses.Status(401), "lists 401")
			case operations.Public, operations.Signed:
				assert.Empty(t, *op.Security, "needs security: []")
			}
			if want.Auth == operations.Staff {
				assert.NotNil(t, op.Responses.Status(403), "lists 403")
			}
			if want.Auth == operations.Signed {
				assert.True(t, op.Parameters.GetByInAndName("header", "X-Signature") != nil ||
					op.Parameters.GetByInAndName("header", "Stripe-Signature") != nil, "takes a signature header")
			}
			assert.NotNil(t, op.Responses.Status(500), "lists 500")
			assert.NotNil(t, op.Responses.Status(503), "lists 503")
		})
	}
}

var tags = []string{"catalog", "holds", "orders", "payments", "tickets", "checkin", "counter", "account", "ops", "waiting-room", "backoffice", "system"}

func TestEveryOperationFollowsTheHouseRules(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load()
	require.NoError(t, err)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			t.Run(op.OperationID, func(t *testing.T) {
				t.Parallel()
				assert.NotEmpty(t, op.Summary, "summary")
				require.Len(t, op.Tags, 1, "one tag")
				assert.Contains(t, tags, op.Tags[0], "tag")
				if strings.Contains(path, "{") {
					assert.NotNil(t, op.Responses.Status(404), "a path with ids lists 404")
				}
				if op.RequestBody != nil {
					for mime, media := range op.RequestBody.Value.Content {
						s := media.Schema.Value
						require.NotNil(t, s.AdditionalProperties.Has, "%s body must set additionalProperties", mime)
						if s.Extensions["x-third-party"] != nil {
							// Another party's payload (a provider's event):
							// it adds fields over time, so it stays open,
							// and only a signed operation takes it.
							assert.Equal(t, "signed", op.Extensions["x-auth"], "a third party's body comes signed")
							continue
						}
						assert.False(t, *s.AdditionalProperties.Has, "%s body must be closed (additionalProperties: false)", mime)
					}
				}
				for code, resp := range op.Responses.Map() {
					if code[0] == '4' || code[0] == '5' {
						assert.Contains(t, resp.Value.Content, "application/problem+json", "%s is a problem", code)
					}
				}
				if method == "POST" && slices.Contains([]string{operations.CreateOrder, operations.CreatePayment}, op.OperationID) {
					key := op.Parameters.GetByInAndName("header", "Idempotency-Key")
					if assert.NotNil(t, key, "takes Idempotency-Key") {
						assert.True(t, key.Required, "Idempotency-Key is required")
					}
				}
			})
		}
	}
}

var outputLine = regexp.MustCompile(`(?m)^output:.*$`)

func TestGeneratedTypesAreNotStale(t *testing.T) {
	t.Parallel()
	committed, err := os.ReadFile(filepath.Join("..", "internal", "api", "gen", "types.gen.go"))
	require.NoError(t, err)

	config, err := os.ReadFile("oapi-codegen.yaml")
	require.NoError(t, err)
	require.Regexp(t, outputLine, string(config), "oapi-codegen.yaml names its output")
	dir := t.TempDir()
	fresh := filepath.Join(dir, "types.gen.go")
	tmpConfig := filepath.Join(dir, "oapi-codegen.yaml")
	config = outputLine.ReplaceAll(config, []byte("output: "+fresh))
	require.NoError(t, os.WriteFile(tmpConfig, config, 0o600))

	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", tmpConfig, "openapi.yaml")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), "oapi-codegen: %s", stderr.String())
	generated, err := os.ReadFile(fresh)
	require.NoError(t, err)

	assert.True(t, bytes.Equal(committed, generated),
		"internal/api/gen/types.gen.go is stale; regenerate it from the repository root with\n"+
			"  go tool oapi-codegen -config openapi/oapi-codegen.yaml openapi/openapi.yaml\n"+
			"(or go generate ./openapi/) and commit the result")
}
