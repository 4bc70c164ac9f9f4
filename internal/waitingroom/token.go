package waitingroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

const (
	tokenPrefix  = "WRT1."
	tokenVersion = 1
)

var b64 = base64.RawURLEncoding

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
type Signer struct{ key ed25519.PrivateKey }

// NewSigner makes a signer from a 32-byte Ed25519 seed.
func NewSigner(seed []byte) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("waiting-room signing key: want a %d-byte Ed25519 seed, got %d bytes", ed25519.SeedSize, len(seed))
	}
	return &Signer{key: ed25519.NewKeyFromSeed(seed)}, nil
}

// NewEphemeralSigner makes a signer with a random key, for one process
// (the local server, tests).
func NewEphemeralSigner() *Signer {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	s, _ := NewSigner(seed)
	return s
}

// Sign is the token: "WRT1." + base64url(JSON claims) + "." +
// base64url(Ed25519 signature of the first two parts). The claims bind the
// entry, the showtime, the buyer and the expiry.
func (s *Signer) Sign(a Admission) string {
	body, _ := json.Marshal(map[string]any{"v": tokenVersion, "wid": a.EntryID, "sid": a.ShowtimeID, "sub": a.Subject,
		"exp": a.ExpiresAt.Unix()})
	signed := tokenPrefix + b64.EncodeToString(body)
	return signed + "." + b64.EncodeToString(ed25519.Sign(s.key, []byte(signed)))
}

// Verify checks a token's signature and returns what it admits. It does not
// check expiry or the showtime: Admit does.
func (s *Signer) Verify(token string) (Admission, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return Admission{}, ErrInvalidToken
	}
	dot := strings.LastIndexByte(token, '.')
	if dot <= len(tokenPrefix) {
		return Admission{}, ErrInvalidToken
	}
	sig, err := b64.DecodeString(token[dot+1:])
	if err != nil || !ed25519.Verify(s.key.Public().(ed25519.PublicKey), []byte(token[:dot]), sig) {
		return Admission{}, ErrInvalidToken
	}
	body, err := b64.DecodeString(token[len(tokenPrefix):dot])
	if err != nil {
		return Admission{}, ErrInvalidToken
	}
	var raw struct {
		V   int    `json:"v"`
		WID string `json:"wid"`
		SID string `json:"sid"`
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw.V != tokenVersion || raw.SID == "" || raw.Sub == "" {
		return Admission{}, ErrInvalidToken
	}
	return Admission{EntryID: raw.WID, ShowtimeID: raw.SID, Subject: raw.Sub, ExpiresAt: time.Unix(raw.Exp, 0).UTC()}, nil
}
