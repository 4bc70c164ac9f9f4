package waitingroom

import (
	"errors"
	"fmt"
	"time"

	"bilhetagem/internal/signedtoken"
)

const (
	tokenPrefix  = "WRT1."
	tokenVersion = 1
)

// ErrInvalidToken says a token is not an admission signed by the chain.
var ErrInvalidToken = errors.New("not an admission token signed by the chain")

// Admission is what a token grants: its holder may hold seats of one
// showtime until ExpiresAt.
type Admission struct {
	EntryID    string
	ShowtimeID string
	Subject    string
	ExpiresAt  time.Time
}

// Signer signs and verifies admission tokens with an Ed25519 key. Every
// function that signs (enterWaitingRoom, getWaitingRoomEntry) or verifies
// (createHold) must share the key.
type Signer struct{ key signedtoken.Key }

// NewSigner makes a signer from a 32-byte Ed25519 seed.
func NewSigner(seed []byte) (*Signer, error) {
	k, err := signedtoken.NewKey(seed)
	if err != nil {
		return nil, fmt.Errorf("waiting-room signing key: %w", err)
	}
	return &Signer{key: k}, nil
}

// NewEphemeralSigner makes a signer with a random key, for one process
// (the local server, tests).
func NewEphemeralSigner() *Signer { return &Signer{key: signedtoken.EphemeralKey()} }

// tokenClaims are an admission token's claims as encoded.
type tokenClaims struct {
	V   int    `json:"v"`
	WID string `json:"wid"`
	SID string `json:"sid"`
	Sub string `json:"sub"`
	Exp int64  `json:"exp"`
}

// Sign is the token: "WRT1." + base64url(JSON claims) + "." +
// base64url(Ed25519 signature of the first two parts). The claims bind the
// entry, the showtime, the buyer and the expiry.
func (s *Signer) Sign(a Admission) string {
	tok, err := s.key.Seal(tokenPrefix, tokenClaims{V: tokenVersion, WID: a.EntryID, SID: a.ShowtimeID, Sub: a.Subject,
		Exp: a.ExpiresAt.Unix()})
	if err != nil {
		panic(err) // plain strings and numbers always encode
	}
	return tok
}

// Verify checks a token's signature and returns what it admits. It does not
// check expiry or the showtime: Admit does.
func (s *Signer) Verify(token string) (Admission, error) {
	var raw tokenClaims
	if err := signedtoken.Open(s.key.Public(), tokenPrefix, token, &raw); err != nil ||
		raw.V != tokenVersion || raw.SID == "" || raw.Sub == "" {
		return Admission{}, ErrInvalidToken
	}
	return Admission{EntryID: raw.WID, ShowtimeID: raw.SID, Subject: raw.Sub, ExpiresAt: time.Unix(raw.Exp, 0).UTC()}, nil
}
