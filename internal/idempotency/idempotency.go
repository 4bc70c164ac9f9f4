// Package idempotency keeps the first answer to a request made with an
// Idempotency-Key, so a retry gets the same answer instead of a second
// effect: the same key with the same body replays the first response, the
// same key with another body is refused, and a duplicate that arrives while
// the first is running is told to wait. Records live 24 hours, as pretix
// keeps them, with INPROGRESS/COMPLETED states as in Powertools (facts §6).
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Status is where a keyed request stands.
type Status string

const (
	InProgress Status = "INPROGRESS"
	Completed  Status = "COMPLETED"
)

// Keep is how long a key is remembered.
const Keep = 24 * time.Hour

// Lease is how long an INPROGRESS record holds its key: a request that
// crashed without finishing frees the key after it, so a retry runs again.
const Lease = 30 * time.Second

// Response is the stored answer to replay.
type Response struct {
	Status  int
	Body    string
	Headers map[string]string
}

// Record is a keyed request.
type Record struct {
	Scope    string // who and what: the buyer, the operation and the key
	BodyHash string
	Status   Status
	Response Response
}

// Store keeps records.
type Store interface {
	// Claim starts a keyed request: it creates an INPROGRESS record unless
	// an unexpired one exists (or takes over one whose lease ran out with
	// the same body). When it cannot, it returns the existing record and
	// false.
	Claim(ctx context.Context, scope, bodyHash string, now time.Time) (Record, bool, error)
	// Complete stores the answer of a claimed request.
	Complete(ctx context.Context, scope string, resp Response, now time.Time) error
	// Forget drops a claimed request's record, so a retry runs again (after
	// a failure that changed nothing the client should not repeat).
	Forget(ctx context.Context, scope string) error
}

// Hash is the fingerprint of a request body.
func Hash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
