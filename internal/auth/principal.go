// Package auth turns an OIDC ID token into the Principal the API acts for.
//
// In production API Gateway's JWT authorizer verifies the token and hands the
// Lambda its claims as strings; FromAPIGatewayClaims reads them. Locally the
// server verifies the token itself with a Verifier and feeds the same handlers
// a synthetic event built with ToAPIGatewayClaims, so both paths meet in one
// mapping. Google is the issuer in production and internal/devoidc stands in
// for it elsewhere; switching between them is configuration only.
package auth

import (
	"errors"
	"slices"
)

// ErrUnauthenticated is wrapped by every failure to establish who is calling:
// no token, a token that does not verify, or claims without a subject.
var ErrUnauthenticated = errors.New("unauthenticated")

// Role is what a principal may do.
type Role string

const (
	// RoleBuyer is held by every authenticated principal.
	RoleBuyer Role = "buyer"
	// RoleStaff is held by principals in the staff group.
	RoleStaff Role = "staff"
)

// StaffGroup is the value of the groups claim that grants RoleStaff.
const StaffGroup = "staff"

// Principal is the authenticated caller.
type Principal struct {
	Subject string
	Email   string
	Name    string
	Groups  []string
}

// IsStaff reports whether the principal belongs to the staff group.
func (p Principal) IsStaff() bool {
	return slices.Contains(p.Groups, StaffGroup)
}

// Roles lists the principal's roles: always buyer, and staff for the staff
// group.
func (p Principal) Roles() []Role {
	if p.IsStaff() {
		return []Role{RoleBuyer, RoleStaff}
	}
	return []Role{RoleBuyer}
}

// HasRole reports whether the principal holds r.
func (p Principal) HasRole(r Role) bool {
	return slices.Contains(p.Roles(), r)
}
