package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrKeySetUnavailable is wrapped, together with ErrUnauthenticated, when the
// issuer's discovery document or key set cannot be fetched. The token may be
// fine; an adapter can answer 503 instead of 401.
var ErrKeySetUnavailable = errors.New("key set unavailable")

// Reasons a token is rejected. They are wrapped with ErrUnauthenticated and
// never carry the token itself.
var (
	errEmptyToken           = errors.New("empty token")
	errMalformedToken       = errors.New("malformed token")
	errUnsupportedAlgorithm = errors.New("unsupported signing algorithm")
	errMissingKeyID         = errors.New("missing key id")
	errUnknownKeyID         = errors.New("unknown key id")
	errKeyAlgorithm         = errors.New("key does not match signing algorithm")
	errInvalidSignature     = errors.New("invalid signature")
	errExpired              = errors.New("token expired")
	errNotYetValid          = errors.New("token not yet valid")
	errWrongAudience        = errors.New("wrong audience")
	errWrongIssuer          = errors.New("wrong issuer")
	errMissingClaim         = errors.New("missing required claim")
	errInvalidToken         = errors.New("invalid token")
)

// keyedReasons are the reasons the key lookup itself produces; they take
// precedence over golang-jwt's generic wrapping.
var keyedReasons = []error{
	errUnsupportedAlgorithm, errMissingKeyID, errUnknownKeyID, errKeyAlgorithm,
}

// Config configures a Verifier.
type Config struct {
	// Issuer is the expected iss claim, e.g. https://accounts.google.com.
	Issuer string
	// Audience is the expected aud claim: the OAuth client id.
	Audience string
	// JWKSURL is where the signing keys are published. When empty it is read
	// from the Issuer's /.well-known/openid-configuration on first use.
	JWKSURL string
	// HTTPClient fetches discovery and keys; a client with a 10s timeout when nil.
	HTTPClient *http.Client
	// Now is the clock tokens are checked against; time.Now when nil.
	Now func() time.Time
}

// Verifier checks ID tokens signed with RS256 or ES256 by the configured
// issuer for the configured audience. It is safe for concurrent use. Nothing
// is fetched until the first Verify, so a server can build a Verifier for an
// issuer it hosts itself before it listens.
type Verifier struct {
	issuer   string
	audience string
	parser   *jwt.Parser
	keys     *keySet
}

// NewVerifier validates cfg and builds a Verifier. It does no I/O; ctx is
// accepted for symmetry with go-oidc and future use.
func NewVerifier(_ context.Context, cfg Config) (*Verifier, error) {
	if err := absoluteURL(cfg.Issuer); err != nil {
		return nil, fmt.Errorf("new verifier: issuer: %w", err)
	}
	if strings.TrimSpace(cfg.Audience) == "" {
		return nil, errors.New("new verifier: audience is required")
	}
	if cfg.JWKSURL != "" {
		if err := absoluteURL(cfg.JWKSURL); err != nil {
			return nil, fmt.Errorf("new verifier: jwks url: %w", err)
		}
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Verifier{
		issuer:   cfg.Issuer,
		audience: cfg.Audience,
		parser: jwt.NewParser(
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audience),
			jwt.WithExpirationRequired(),
			jwt.WithTimeFunc(now),
			jwt.WithJSONNumber(),
		),
		keys: newKeySet(client, cfg.Issuer, cfg.JWKSURL),
	}, nil
}

func absoluteURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid url: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) url", raw)
	}
	return nil
}

// Verify checks rawToken's signature, algorithm, key id, issuer, audience and
// expiry and returns the principal and all claims. Numeric claims are
// json.Number. Every failure wraps ErrUnauthenticated.
func (v *Verifier) Verify(ctx context.Context, rawToken string) (Principal, map[string]any, error) {
	if strings.TrimSpace(rawToken) == "" {
		return Principal{}, nil, reject(errEmptyToken)
	}
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(rawToken, claims, v.keyFor(ctx)); err != nil {
		return Principal{}, nil, reject(reason(err))
	}
	p, err := FromAPIGatewayClaims(ToAPIGatewayClaims(claims))
	if err != nil {
		return Principal{}, nil, fmt.Errorf("verify token: %w", err)
	}
	return p, claims, nil
}

func reject(why error) error {
	return fmt.Errorf("verify token: %w: %w", why, ErrUnauthenticated)
}

// keyFor picks the verification key named by the token's kid, after checking
// the algorithm is one we accept. "none" and HMAC never get this far.
func (v *Verifier) keyFor(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		alg := t.Method.Alg()
		if alg != jwt.SigningMethodRS256.Alg() && alg != jwt.SigningMethodES256.Alg() {
			return nil, errUnsupportedAlgorithm
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errMissingKeyID
		}
		k, err := v.keys.lookup(ctx, kid)
		if err != nil {
			return nil, err
		}
		if k.alg != "" && k.alg != alg {
			return nil, errKeyAlgorithm
		}
		switch pub := k.pub.(type) {
		case *rsa.PublicKey:
			if alg == jwt.SigningMethodRS256.Alg() {
				return pub, nil
			}
		case *ecdsa.PublicKey:
			if alg == jwt.SigningMethodES256.Alg() && pub.Curve.Params().Name == "P-256" {
				return pub, nil
			}
		}
		return nil, errKeyAlgorithm
	}
}

// reason turns a golang-jwt error into one of our rejection reasons. Key
// lookup reasons come first; then signature problems; then claims.
func reason(err error) error {
	var unavailable *keySetError
	if errors.As(err, &unavailable) {
		return unavailable
	}
	for _, r := range keyedReasons {
		if errors.Is(err, r) {
			return r
		}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return errMalformedToken
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// The alg header names no algorithm golang-jwt knows.
		return errUnsupportedAlgorithm
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return errInvalidSignature
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return errWrongIssuer
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return errWrongAudience
	case errors.Is(err, jwt.ErrTokenExpired):
		return errExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return errNotYetValid
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return errMissingClaim
	}
	return errInvalidToken
}
