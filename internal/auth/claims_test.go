package auth_test

import (
	"encoding/json"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/auth"
)

func TestFromAPIGatewayClaims(t *testing.T) {
	t.Parallel()
	base := func(groups string) map[string]string {
		c := map[string]string{"sub": "user-carla", "email": "carla@exemplo.com.br", "name": "Carla Mendes"}
		if groups != "" {
			c["groups"] = groups
		}
		return c
	}
	cases := []struct {
		name       string
		claims     map[string]string
		wantGroups []string
		wantStaff  bool
	}{
		{"api gateway's flattened array form is split on spaces", base("[staff buyer]"), []string{"staff", "buyer"}, true},
		{"a one-element flattened array is read", base("[staff]"), []string{"staff"}, true},
		{"a json array string is read", base(`["staff","buyer"]`), []string{"staff", "buyer"}, true},
		{"a single plain value is one group", base("staff"), []string{"staff"}, true},
		{"an empty flattened array means no groups", base("[]"), nil, false},
		{"a missing groups claim means no groups", base(""), nil, false},
		{"extra spaces in the flattened form are ignored", base("[  vip   staff ]"), []string{"vip", "staff"}, true},
		{"a buyer-only array does not grant staff", base("[buyer vip]"), []string{"buyer", "vip"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := auth.FromAPIGatewayClaims(tc.claims)
			require.NoError(t, err)
			assert.Equal(t, "user-carla", p.Subject)
			assert.Equal(t, "carla@exemplo.com.br", p.Email)
			assert.Equal(t, "Carla Mendes", p.Name)
			assert.Equal(t, tc.wantGroups, p.Groups)
			assert.Equal(t, tc.wantStaff, p.IsStaff())
		})
	}
}

func TestFromAPIGatewayClaimsRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		claims map[string]string
	}{
		{"claims without a subject are unauthenticated", map[string]string{"email": "ana@exemplo.com.br"}},
		{"a blank subject is unauthenticated", map[string]string{"sub": "  "}},
		{"no claims at all are unauthenticated", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := auth.FromAPIGatewayClaims(tc.claims)
			require.ErrorIs(t, err, auth.ErrUnauthenticated)
			assert.ErrorContains(t, err, "missing subject")
		})
	}
}

func TestToAPIGatewayClaims(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"a string stays as is", "user-ana", "user-ana"},
		{"a json number keeps its digits", json.Number("1773516600"), "1773516600"},
		{"an integral float prints without exponent", float64(1773516600), "1773516600"},
		{"a fractional float prints its decimals", 1.5, "1.5"},
		{"an int prints as decimal", 42, "42"},
		{"an int64 prints as decimal", int64(-7), "-7"},
		{"a boolean prints as true", true, "true"},
		{"an array of strings flattens to brackets and spaces", []any{"staff", "buyer"}, "[staff buyer]"},
		{"a string slice flattens the same way", []string{"staff", "buyer"}, "[staff buyer]"},
		{"an empty array flattens to empty brackets", []any{}, "[]"},
		{"an array of numbers flattens their text", []any{json.Number("1"), float64(2)}, "[1 2]"},
		{"an object becomes compact json", map[string]any{"locality": "São Paulo"}, `{"locality":"São Paulo"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := auth.ToAPIGatewayClaims(map[string]any{"c": tc.in})
			assert.Equal(t, map[string]string{"c": tc.want}, got)
		})
	}

	t.Run("a null claim is dropped", func(t *testing.T) {
		t.Parallel()
		assert.Empty(t, auth.ToAPIGatewayClaims(map[string]any{"c": nil}))
	})

	t.Run("jwt map claims are accepted and round trip to a principal", func(t *testing.T) {
		t.Parallel()
		claims := jwt.MapClaims{
			"sub": "user-carla", "email": "carla@exemplo.com.br", "name": "Carla Mendes",
			"groups": []any{"staff", "buyer"}, "email_verified": true, "exp": float64(1773516600),
		}
		flat := auth.ToAPIGatewayClaims(claims)
		assert.Equal(t, "[staff buyer]", flat["groups"])
		assert.Equal(t, "true", flat["email_verified"])
		assert.Equal(t, "1773516600", flat["exp"])

		p, err := auth.FromAPIGatewayClaims(flat)
		require.NoError(t, err)
		assert.Equal(t, auth.Principal{
			Subject: "user-carla", Email: "carla@exemplo.com.br", Name: "Carla Mendes",
			Groups: []string{"staff", "buyer"},
		}, p)
	})
}
