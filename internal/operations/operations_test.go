package operations_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/operations"
)

// The contract is checked against this registry both ways in
// openapi/spec_test.go.

// TestEveryOperationHasExactlyOneFunction checks functions/ against the
// registry both ways: one folder per operation, named for its operationId,
// whose main starts that operation, and no folder without an operation.
func TestEveryOperationHasExactlyOneFunction(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..", "functions")
	entries, err := os.ReadDir(root)
	require.NoError(t, err)

	want := map[string]operations.Operation{}
	for _, op := range operations.All {
		_, dup := want[op.Function()]
		require.False(t, dup, "two operations map to functions/%s", op.Function())
		want[op.Function()] = op
	}
	starts := regexp.MustCompile(`app\.StartLambda\(operations\.(\w+),`)
	seen := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		op, ok := want[e.Name()]
		if !assert.True(t, ok, "functions/%s has no operation in the registry", e.Name()) {
			continue
		}
		seen[e.Name()] = true
		src, err := os.ReadFile(filepath.Join(root, e.Name(), "main.go"))
		if !assert.NoError(t, err, "functions/%s/main.go", e.Name()) {
			continue
		}
		m := starts.FindSubmatch(src)
		if assert.NotNil(t, m, "functions/%s/main.go does not call app.StartLambda", e.Name()) {
			name := string(m[1])
			assert.Equal(t, op.ID, strings.ToLower(name[:1])+name[1:], "functions/%s starts the wrong operation", e.Name())
		}
	}
	for fn, op := range want {
		assert.True(t, seen[fn], "operation %s has no functions/%s", op.ID, fn)
	}
}

func TestFunctionIsKebabCase(t *testing.T) {
	t.Parallel()
	cases := map[string]string{"listCinemas": "list-cinemas", "getMe": "get-me", "receivePspWebhook": "receive-psp-webhook"}
	for id, want := range cases {
		assert.Equal(t, want, operations.Operation{ID: id}.Function())
	}
}
