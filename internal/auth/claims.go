package auth

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Claim names read from a token.
const (
	ClaimSubject = "sub"
	ClaimEmail   = "email"
	ClaimName    = "name"
	ClaimGroups  = "groups"
)

// FromAPIGatewayClaims builds a Principal from the claims an API Gateway HTTP
// API JWT authorizer puts in requestContext.authorizer.jwt.claims. API Gateway
// flattens array claims to "[a b]"; groups is also accepted as a JSON array
// string (`["a","b"]`) or as a single plain value. A missing sub yields
// ErrUnauthenticated.
func FromAPIGatewayClaims(claims map[string]string) (Principal, error) {
	sub := strings.TrimSpace(claims[ClaimSubject])
	if sub == "" {
		return Principal{}, fmt.Errorf("principal from claims: missing subject: %w", ErrUnauthenticated)
	}
	return Principal{
		Subject: sub,
		Email:   claims[ClaimEmail],
		Name:    claims[ClaimName],
		Groups:  parseListClaim(claims[ClaimGroups]),
	}, nil
}

// parseListClaim reads a list claim in any of the forms API Gateway or a test
// may produce: "[a b]", `["a","b"]`, or a single "a".
func parseListClaim(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") {
		return []string{v}
	}
	var list []string
	if err := json.Unmarshal([]byte(v), &list); err == nil {
		return nonEmpty(list)
	}
	return nonEmpty(strings.Fields(v[1 : len(v)-1]))
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ToAPIGatewayClaims renders verified claims the way an API Gateway HTTP API
// JWT authorizer does: strings as they are, numbers as decimal text, booleans
// as true/false and arrays as "[a b]". Objects, which API Gateway's own format
// for is not relied on anywhere, become compact JSON. Null claims are dropped.
// It accepts jwt.MapClaims as well as map[string]any.
func ToAPIGatewayClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		if v == nil {
			continue
		}
		out[k] = claimText(v)
	}
	return out
}

func claimText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return floatText(v)
	case float32:
		return floatText(float64(v))
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case []string:
		return "[" + strings.Join(v, " ") + "]"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = claimText(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

// floatText prints integral values without exponent or fraction, so an exp of
// 1.7e9 reads "1700000000" as it does in the API Gateway event.
func floatText(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
