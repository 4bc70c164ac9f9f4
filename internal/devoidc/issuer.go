// Package devoidc is a development OpenID Connect issuer that stands in for
// Google on a laptop and in tests.
//
// It signs RS256 ID tokens for any valid username, made on the fly (the
// seeded Users keep their subjects, e-mails and names; staff are only the
// usernames in Config.Staff), and publishes discovery and a JWKS, so the API
// verifies its tokens on exactly the path it verifies Google's: only the
// issuer URL and client id change. It has no passwords and must never be
// deployed.
package devoidc

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"bilhetagem/internal/auth"
)

const (
	defaultTokenTTL = time.Hour
	// codeTTL is how long an authorization code may wait to be exchanged.
	codeTTL    = 2 * time.Minute
	minKeyBits = 2048
)

// Config configures an Issuer.
type Config struct {
	// Issuer is the iss of every token and the base of every endpoint URL,
	// e.g. http://localhost:8080/auth; the handler is mounted at its path.
	Issuer string
	// Audience is the client id tokens are issued for, e.g. bilhetagem-local.
	Audience string
	// TokenTTL is the lifetime of issued tokens; one hour when zero.
	TokenTTL time.Duration
	// Now is the issuer's clock; time.Now when nil.
	Now func() time.Time
	// Key signs the tokens; a fresh 2048-bit key is generated when nil.
	Key *rsa.PrivateKey
	// Staff are the usernames signed in with the staff group; DefaultStaff
	// (carla) when nil, nobody when empty. A name alone never makes staff.
	Staff []string
}

// Issuer signs ID tokens for any valid username and serves the OIDC
// endpoints.
type Issuer struct {
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	key      *rsa.PrivateKey
	kid      string
	staff    []string        // canonical staff usernames, in Config order
	isStaff  map[string]bool // the same, as a set

	mu    sync.Mutex
	codes map[string]authCode
}

// authCode is an issued, not yet exchanged authorization code.
type authCode struct {
	user          User
	clientID      string
	redirectURI   string
	codeChallenge string
	nonce         string
	expires       time.Time
}

// New validates cfg and builds an Issuer.
func New(cfg Config) (*Issuer, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("new dev issuer: issuer %q is not an absolute http(s) url", cfg.Issuer)
	}
	if strings.HasSuffix(cfg.Issuer, "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("new dev issuer: issuer %q must not end in a slash or carry a query or fragment", cfg.Issuer)
	}
	if strings.TrimSpace(cfg.Audience) == "" {
		return nil, errors.New("new dev issuer: audience is required")
	}
	if cfg.TokenTTL < 0 {
		return nil, errors.New("new dev issuer: token ttl must not be negative")
	}
	ttl := cfg.TokenTTL
	if ttl == 0 {
		ttl = defaultTokenTTL
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	key := cfg.Key
	if key == nil {
		if key, err = rsa.GenerateKey(rand.Reader, minKeyBits); err != nil {
			return nil, fmt.Errorf("new dev issuer: generate key: %w", err)
		}
	}
	if key.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("new dev issuer: key has %d bits, want at least %d", key.N.BitLen(), minKeyBits)
	}
	staff, err := staffNames(cfg.Staff)
	if err != nil {
		return nil, fmt.Errorf("new dev issuer: %w", err)
	}
	isStaff := make(map[string]bool, len(staff))
	for _, n := range staff {
		isStaff[n] = true
	}
	return &Issuer{
		issuer:   cfg.Issuer,
		audience: cfg.Audience,
		ttl:      ttl,
		now:      now,
		key:      key,
		kid:      thumbprint(&key.PublicKey),
		staff:    staff,
		isStaff:  isStaff,
		codes:    map[string]authCode{},
	}, nil
}

// User is the account username signs in as (see ParseUsername): a seeded
// user keeps its subject, e-mail and name, any other name is made on the
// spot with subject user-<name> and e-mail <name>@exemplo.com.br, the same
// every time. Either is staff only when its name is in Config.Staff. A
// refused name wraps ErrInvalidUsername.
func (i *Issuer) User(username string) (User, error) {
	name, err := ParseUsername(username)
	if err != nil {
		return User{}, err
	}
	u, ok := FindUser(name)
	if !ok {
		u = newUser(name)
	}
	u.Groups = nil
	if i.isStaff[name] {
		u.Groups = []string{auth.StaffGroup}
	}
	return u, nil
}

// loginUsers are the quick picks of the login page: the seeded users, then
// the staff that are not seeded, each as the issuer signs them in.
func (i *Issuer) loginUsers() []User {
	names := make([]string, 0, len(Users)+len(i.staff))
	for _, u := range Users {
		names = append(names, u.Username())
	}
	for _, n := range i.staff {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	out := make([]User, 0, len(names))
	for _, n := range names {
		u, _ := i.User(n) // seeded and staff names are valid
		out = append(out, u)
	}
	return out
}

// Mint signs an ID token for u valid for ttl (the configured TokenTTL when
// zero or negative).
func (i *Issuer) Mint(u User, ttl time.Duration) (string, error) {
	return i.mint(u, ttl, "")
}

func (i *Issuer) mint(u User, ttl time.Duration, nonce string) (string, error) {
	if ttl <= 0 {
		ttl = i.ttl
	}
	now := i.now()
	claims := jwt.MapClaims{
		"iss":            i.issuer,
		"aud":            i.audience,
		"sub":            u.Subject,
		"email":          u.Email,
		"email_verified": true,
		"name":           u.Name,
		"iat":            now.Unix(),
		"exp":            now.Add(ttl).Unix(),
	}
	if len(u.Groups) > 0 {
		claims["groups"] = u.Groups
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = i.kid
	signed, err := tok.SignedString(i.key)
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	return signed, nil
}

// issueCode stores a single-use authorization code for a later exchange.
func (i *Issuer) issueCode(c authCode) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("issue code: %w", err)
	}
	code := base64.RawURLEncoding.EncodeToString(b)
	now := i.now()
	c.expires = now.Add(codeTTL)

	i.mu.Lock()
	defer i.mu.Unlock()
	for k, old := range i.codes {
		if !now.Before(old.expires) {
			delete(i.codes, k)
		}
	}
	i.codes[code] = c
	return code, nil
}

// redeemCode removes and returns a code; a code is gone after its first use,
// whether or not the exchange then succeeds.
func (i *Issuer) redeemCode(code string) (authCode, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	c, ok := i.codes[code]
	delete(i.codes, code)
	if !ok || !i.now().Before(c.expires) {
		return authCode{}, false
	}
	return c, true
}

func (i *Issuer) endpoint(path string) string { return i.issuer + path }

// thumbprint is the RFC 7638 SHA-256 thumbprint of the key, used as its kid.
func thumbprint(pub *rsa.PublicKey) string {
	canonical := fmt.Sprintf(`{"e":"%s","kty":"RSA","n":"%s"}`, b64int(big.NewInt(int64(pub.E))), b64int(pub.N))
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func b64int(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }
