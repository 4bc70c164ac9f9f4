// Package signedtoken makes and opens the compact Ed25519-signed tokens the
// product hands out: a ticket's QR and a waiting-room admission. A token is
// PREFIX + base64url(JSON claims) + "." + base64url(signature of what comes
// before the dot), so anyone holding the public key verifies it offline.
package signedtoken

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

var b64 = base64.RawURLEncoding

// ErrInvalid says a token is malformed or not signed by the key.
var ErrInvalid = errors.New("invalid signed token")

// Key signs tokens.
type Key struct{ priv ed25519.PrivateKey }

// NewKey makes a key from a 32-byte Ed25519 seed.
func NewKey(seed []byte) (Key, error) {
	if len(seed) != ed25519.SeedSize {
		return Key{}, fmt.Errorf("want a %d-byte Ed25519 seed, got %d bytes", ed25519.SeedSize, len(seed))
	}
	return Key{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// EphemeralKey is a random key, for one process (the local server, tests).
func EphemeralKey() Key {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	k, _ := NewKey(seed)
	return k
}

// Public is the key verifiers hold.
func (k Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// Seal signs claims (any JSON-encodable value) under a prefix like "BLT1.".
func (k Key) Seal(prefix string, claims any) (string, error) {
	body, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("seal token: %w", err)
	}
	signed := prefix + b64.EncodeToString(body)
	return signed + "." + b64.EncodeToString(ed25519.Sign(k.priv, []byte(signed))), nil
}

// Open checks a token's prefix and signature and decodes its claims into
// out. Every failure is ErrInvalid, saying nothing about which check failed.
func Open(pub ed25519.PublicKey, prefix, token string, out any) error {
	if !strings.HasPrefix(token, prefix) {
		return ErrInvalid
	}
	dot := strings.LastIndexByte(token, '.')
	if dot <= len(prefix) {
		return ErrInvalid
	}
	sig, err := b64.DecodeString(token[dot+1:])
	if err != nil || !ed25519.Verify(pub, []byte(token[:dot]), sig) {
		return ErrInvalid
	}
	body, err := b64.DecodeString(token[len(prefix):dot])
	if err != nil || json.Unmarshal(body, out) != nil {
		return ErrInvalid
	}
	return nil
}
