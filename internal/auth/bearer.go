package auth

import "strings"

// BearerToken extracts the token from an Authorization header value of the
// form "Bearer <token>". The scheme is matched case-insensitively; a missing
// scheme, an empty token or a token with inner whitespace yields false.
func BearerToken(authorizationHeader string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorizationHeader), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t\r\n") {
		return "", false
	}
	return token, true
}
