package auth_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"bilhetagem/internal/auth"
)

func TestPrincipalRoles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		groups    []string
		wantStaff bool
		wantRoles []auth.Role
	}{
		{"a principal without groups is only a buyer", nil, false, []auth.Role{auth.RoleBuyer}},
		{"a principal in other groups is only a buyer", []string{"vip", "Staff"}, false, []auth.Role{auth.RoleBuyer}},
		{"a principal in the staff group is buyer and staff", []string{"vip", "staff"}, true, []auth.Role{auth.RoleBuyer, auth.RoleStaff}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := auth.Principal{Subject: "user-x", Groups: tc.groups}
			assert.Equal(t, tc.wantStaff, p.IsStaff())
			assert.Equal(t, tc.wantRoles, p.Roles())
			assert.True(t, p.HasRole(auth.RoleBuyer))
			assert.Equal(t, tc.wantStaff, p.HasRole(auth.RoleStaff))
		})
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		header string
		want   string
		wantOK bool
	}{
		{"the canonical scheme yields the token", "Bearer abc.def.ghi", "abc.def.ghi", true},
		{"a lowercase scheme is accepted", "bearer abc.def.ghi", "abc.def.ghi", true},
		{"a shouting scheme is accepted", "BEARER abc.def.ghi", "abc.def.ghi", true},
		{"surrounding and doubled spaces are ignored", "  Bearer   abc.def.ghi  ", "abc.def.ghi", true},
		{"an empty header has no token", "", "", false},
		{"a scheme alone has no token", "Bearer", "", false},
		{"a scheme with only spaces has no token", "Bearer    ", "", false},
		{"basic credentials are not a bearer token", "Basic dXNlcjpwYXNz", "", false},
		{"a bare token without scheme is refused", "abc.def.ghi", "", false},
		{"a token with inner spaces is refused", "Bearer abc def", "", false},
		{"a scheme that only starts with bearer is refused", "Bearerish abc", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := auth.BearerToken(tc.header)
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
