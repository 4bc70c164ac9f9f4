package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	// keySetMaxAge bounds how long a fetched key set is trusted, so a key the
	// issuer withdraws stops verifying within the hour.
	keySetMaxAge = time.Hour
	// defaultMinRefresh bounds how often an unknown kid may trigger a refetch,
	// so tokens with made-up kids cannot turn into a flood of fetches.
	defaultMinRefresh = time.Minute
	// maxDocumentBytes caps discovery and JWKS responses.
	maxDocumentBytes = 1 << 20
)

// keySetError says discovery or the key set could not be fetched.
type keySetError struct{ detail string }

func (e *keySetError) Error() string { return ErrKeySetUnavailable.Error() + ": " + e.detail }
func (e *keySetError) Unwrap() error { return ErrKeySetUnavailable }

func unavailable(format string, args ...any) error {
	return &keySetError{detail: fmt.Sprintf(format, args...)}
}

type publicKey struct {
	alg string // the JWK's alg, when it names one
	pub crypto.PublicKey
}

// keySet is the issuer's JWKS, discovered and fetched lazily and refreshed
// when it is old or a token names a kid it does not hold.
type keySet struct {
	client     *http.Client
	issuer     string
	clock      func() time.Time
	minRefresh time.Duration

	mu        sync.Mutex
	jwksURL   string // configured or discovered
	keys      map[string]publicKey
	fetchedAt time.Time
}

func newKeySet(client *http.Client, issuer, jwksURL string) *keySet {
	return &keySet{
		client:     client,
		issuer:     issuer,
		jwksURL:    jwksURL,
		clock:      time.Now,
		minRefresh: defaultMinRefresh,
	}
}

func (s *keySet) lookup(ctx context.Context, kid string) (publicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	now := s.clock()
	stale := s.keys == nil || now.Sub(s.fetchedAt) >= keySetMaxAge
	if stale {
		if err := s.refresh(ctx, now); err != nil {
			return publicKey{}, err
		}
	}
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	if stale || now.Sub(s.fetchedAt) < s.minRefresh {
		return publicKey{}, errUnknownKeyID
	}
	// The issuer may have rotated keys since we last looked.
	if err := s.refresh(ctx, now); err != nil {
		return publicKey{}, err
	}
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	return publicKey{}, errUnknownKeyID
}

// refresh fetches the key set, discovering its URL first when needed. The
// caller holds s.mu.
func (s *keySet) refresh(ctx context.Context, now time.Time) error {
	if s.jwksURL == "" {
		u, err := s.discover(ctx)
		if err != nil {
			return err
		}
		s.jwksURL = u
	}
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := s.getJSON(ctx, s.jwksURL, &doc); err != nil {
		return unavailable("fetch jwks: %v", err)
	}
	keys := make(map[string]publicKey, len(doc.Keys))
	for _, k := range doc.Keys {
		if k.Kid == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		pub, err := k.publicKey()
		if err != nil {
			continue // one odd key must not take the others down
		}
		keys[k.Kid] = publicKey{alg: k.Alg, pub: pub}
	}
	if len(keys) == 0 {
		return unavailable("jwks has no usable signing keys")
	}
	s.keys, s.fetchedAt = keys, now
	return nil
}

func (s *keySet) discover(ctx context.Context) (string, error) {
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	wellKnown := strings.TrimSuffix(s.issuer, "/") + "/.well-known/openid-configuration"
	if err := s.getJSON(ctx, wellKnown, &doc); err != nil {
		return "", unavailable("discovery: %v", err)
	}
	if doc.Issuer != s.issuer {
		return "", unavailable("discovery: issuer %q does not match configured %q", doc.Issuer, s.issuer)
	}
	if absoluteURL(doc.JWKSURI) != nil {
		return "", unavailable("discovery: no usable jwks_uri")
	}
	return doc.JWKSURI, nil
}

func (s *keySet) getJSON(ctx context.Context, url string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("get %s: status %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxDocumentBytes)).Decode(into); err != nil {
		return fmt.Errorf("decode %s: %w", url, err)
	}
	return nil
}

// jwk is the part of RFC 7517 a signing key set needs.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

func (k jwk) publicKey() (crypto.PublicKey, error) {
	switch k.Kty {
	case "RSA":
		n, err := b64int(k.N)
		if err != nil {
			return nil, err
		}
		e, err := b64int(k.E)
		if err != nil {
			return nil, err
		}
		if n.BitLen() < 2048 || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 {
			return nil, errors.New("weak or invalid rsa key")
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
	case "EC":
		if k.Crv != "P-256" {
			return nil, fmt.Errorf("unsupported curve %q", k.Crv)
		}
		x, err := b64bytes(k.X)
		if err != nil {
			return nil, err
		}
		y, err := b64bytes(k.Y)
		if err != nil {
			return nil, err
		}
		if len(x) != 32 || len(y) != 32 {
			return nil, errors.New("invalid p-256 coordinates")
		}
		// The uncompressed point encoding makes the standard library check the
		// point is on the curve.
		point := append(append([]byte{4}, x...), y...)
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
		if err != nil {
			return nil, err
		}
		return pub, nil
	}
	return nil, fmt.Errorf("unsupported key type %q", k.Kty)
}

func b64bytes(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func b64int(s string) (*big.Int, error) {
	b, err := b64bytes(s)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, errors.New("empty integer")
	}
	return new(big.Int).SetBytes(b), nil
}
