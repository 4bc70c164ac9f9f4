// Package postman holds the Postman collection that newman runs against a
// local server (tests/newman.sh) and a test that keeps it covering the API.
package postman

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/operations"
)

const collectionFile = "bilhetagem.postman_collection.json"

// intentionalMisses are the requests under /api that on purpose match no
// operation of the registry: the router's own errors. Every entry must still
// be in the collection, so the list cannot go stale.
var intentionalMisses = map[string]string{
	"GET /rota-que-nao-existe": "an unknown route answers 404 route_not_found",
	"DELETE /cinemas":          "a known path with a method it lacks answers 405 with Allow",
}

// request is one request of the collection, with the folders it sits in.
type request struct {
	where  string // "Folder / Request name"
	method string
	path   string // after {{baseUrl}}/api, without the query string; "" when not under /api
}

func (r request) key() string { return r.method + " " + r.path }

// item is a collection item: a folder (Item) or a request (Request).
type item struct {
	Name    string `json:"name"`
	Item    []item `json:"item"`
	Request *struct {
		Method string          `json:"method"`
		URL    json.RawMessage `json:"url"`
	} `json:"request"`
}

// collectionURL is a request's url in a Postman v2.1 collection: a string,
// or an object whose path array is what the runner sends.
type collectionURL struct {
	Raw  string   `json:"raw"`
	Host []string `json:"host"`
	Path []string `json:"path"`
}

func readCollection(t *testing.T) []request {
	t.Helper()
	b, err := os.ReadFile(collectionFile)
	require.NoError(t, err)
	var c struct {
		Item []item `json:"item"`
	}
	require.NoError(t, json.Unmarshal(b, &c), "the collection is JSON")
	var out []request
	var walk func(items []item, folders []string)
	walk = func(items []item, folders []string) {
		for _, it := range items {
			where := strings.Join(append(slices.Clone(folders), it.Name), " / ")
			if it.Request == nil {
				walk(it.Item, append(folders, it.Name))
				continue
			}
			path, err := apiPath(it.Request.URL)
			require.NoError(t, err, where)
			out = append(out, request{where: where, method: strings.ToUpper(it.Request.Method), path: path})
		}
	}
	walk(c.Item, nil)
	require.NotEmpty(t, out, "the collection has requests")
	return out
}

// apiPath is the request's path after {{baseUrl}}/api, without the query
// string, or "" for a request outside /api (the development issuer's
// /auth/token). With a url object, its raw form and its path array must
// agree, since clients differ in which one they send.
func apiPath(raw json.RawMessage) (string, error) {
	var u collectionURL
	if err := json.Unmarshal(raw, &u.Raw); err != nil {
		if err := json.Unmarshal(raw, &u); err != nil {
			return "", fmt.Errorf("url is neither a string nor an object: %w", err)
		}
	}
	full, _, _ := strings.Cut(u.Raw, "?")
	if !strings.HasPrefix(full, "{{baseUrl}}/") {
		return "", fmt.Errorf("url %q does not start with {{baseUrl}}/", u.Raw)
	}
	full = strings.TrimPrefix(full, "{{baseUrl}}")
	if u.Path != nil && "/"+strings.Join(u.Path, "/") != full {
		return "", fmt.Errorf("url raw %q and path %q disagree", u.Raw, u.Path)
	}
	if full != "/api" && !strings.HasPrefix(full, "/api/") {
		return "", nil
	}
	return strings.TrimPrefix(full, "/api"), nil
}

// matches reports whether a request path reaches a registry path as the
// router routes: a literal segment matches itself; a {param} segment matches
// any one segment, a {{variable}} of the collection included.
func matches(registry, path string) bool {
	want := strings.Split(strings.Trim(registry, "/"), "/")
	got := strings.Split(strings.Trim(path, "/"), "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if got[i] == "" {
			return false
		}
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			continue
		}
		if w != got[i] {
			return false
		}
	}
	return true
}

// operationOf is the operation a request reaches, if any.
func operationOf(r request) (operations.Operation, bool) {
	for _, op := range operations.All {
		if op.Method == r.method && matches(op.Path, r.path) {
			return op, true
		}
	}
	return operations.Operation{}, false
}

func TestCollectionCoversEveryOperation(t *testing.T) {
	t.Parallel()
	requests := readCollection(t)
	byOp := map[string][]string{}
	for _, r := range requests {
		if op, ok := operationOf(r); r.path != "" && ok {
			byOp[op.ID] = append(byOp[op.ID], r.where)
		}
	}
	for _, op := range operations.All {
		t.Run(op.ID+" has a request in the collection", func(t *testing.T) {
			assert.NotEmpty(t, byOp[op.ID], "no request of %s reaches %s %s (%s)",
				collectionFile, op.Method, "/api"+op.Path, op.ID)
		})
	}
}

func TestEveryApiRequestReachesAnOperation(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	for _, r := range readCollection(t) {
		if r.path == "" {
			continue
		}
		if _, ok := operationOf(r); ok {
			continue
		}
		if _, ok := intentionalMisses[r.key()]; ok {
			used[r.key()] = true
			continue
		}
		t.Errorf("%q: %s /api%s matches no operation of internal/operations; fix it, or add it to intentionalMisses with why",
			r.where, r.method, r.path)
	}
	for key, why := range intentionalMisses {
		assert.True(t, used[key], "intentionalMisses lists %s (%s), which no request of the collection sends", key, why)
	}
}

func TestMatchingFollowsTheRouter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		registry, path string
		want           bool
	}{
		{"a literal path matches itself", "/cinemas", "/cinemas", true},
		{"a collection variable fills a parameter", "/movies/{movieId}", "/movies/{{movieId}}", true},
		{"a literal id fills a parameter", "/movies/{movieId}", "/movies/mov-nao-existe", true},
		{"two parameters in one path", "/orders/{orderId}/payments/{paymentId}", "/orders/{{orderId}}/payments/{{paymentId}}", true},
		{"a variable does not stand for a literal segment", "/ops/scaling-plan/overrides", "/ops/scaling-plan/{{x}}", false},
		{"a longer path does not match", "/holds/{holdId}", "/holds/{{holdId}}/recommendations", false},
		{"a shorter path does not match", "/holds/{holdId}/recommendations", "/holds/{{holdId}}", false},
		{"an empty segment does not fill a parameter", "/movies/{movieId}", "/movies/", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.want, matches(c.registry, c.path))
		})
	}
}
