package dynamo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// itemKinds reads the item kinds the store writes from its source: every
// constant named type<Kind> with a string value tags the items of a kind.
func itemKinds(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	kinds := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			gd, ok := n.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				return true
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					rest := strings.TrimPrefix(name.Name, "type")
					if rest == name.Name || rest == "" || !unicode.IsUpper(rune(rest[0])) || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					kinds[v] = e.Name() + ": " + name.Name
				}
			}
			return false
		})
	}
	return kinds
}

// TestEveryItemKindHasAPrivacyPolicy keeps Kinds (what export and account
// deletion do to each kind) in step with the kinds the store writes: a new
// kind must say whether it is a buyer's data.
func TestEveryItemKindHasAPrivacyPolicy(t *testing.T) {
	kinds := itemKinds(t)
	require.Greater(t, len(kinds), 30, "the source scan found too few kinds: %v", kinds)
	for kind, where := range kinds {
		pol, ok := Kinds[kind]
		if assert.True(t, ok, "%s writes items of kind %s, and Kinds (privacy.go) does not say what export and deletion do to them", where, kind) {
			assert.NotEmpty(t, pol.Why, kind)
			assert.Contains(t, []Erasure{NotPersonal, Deleted, Anonymized, Expiring}, pol.Erasure, kind)
			if pol.Erasure == NotPersonal || pol.Erasure == Expiring {
				assert.Empty(t, pol.Export, "%s is not exported data, yet names an export section", kind)
			}
		}
	}
	for kind := range Kinds {
		assert.Contains(t, kinds, kind, "Kinds names %s, which no constant of the store declares", kind)
	}
}
