// Package errs is the small typed error every layer speaks: a Kind that the
// HTTP adapter maps to a status in one table, a stable machine Code that
// clients may switch on, and a message that is safe to show.
//
// Anything that is not an *Error is internal: it is logged, never sent.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind is the class of a failure.
type Kind int

const (
	Internal Kind = iota
	Invalid
	Unauthorized
	Forbidden
	NotFound
	MethodNotAllowed
	Conflict
	TooLarge
	Unprocessable
	TooManyRequests
	Unavailable
	NotImplemented
)

// FieldError names one bad field of a request.
type FieldError struct {
	Field   string
	Message string
}

// Error is a failure that may be shown to a client.
type Error struct {
	Kind    Kind
	Code    string // stable, snake_case: "seat_taken", "validation_failed"
	Message string // safe to show: no internals
	Fields  []FieldError
	Seats   []string  // seats involved in a seat conflict
	UsedAt  time.Time // when a ticket was used, for ticket_already_used
	// RedeemedAt and RedeemedBy say when and by whom bomboniere items were
	// handed over, for pickup_already_redeemed.
	RedeemedAt time.Time
	RedeemedBy string
	// Conflicts are the showtimes a room is busy with, for showtime_overlap.
	Conflicts []ScheduleConflict
	// RetryAfter is how long a client should wait before trying again, for
	// a TooManyRequests that knows when its window reopens.
	RetryAfter time.Duration
	Err        error // the cause, logged only
}

// ScheduleConflict is a showtime that keeps a room busy from StartsAt until
// BusyUntil.
type ScheduleConflict struct {
	RoomID     string
	ShowtimeID string
	StartsAt   time.Time
	BusyUntil  time.Time
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of a kind with a stable code and a safe message.
func E(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Wrap builds an error of a kind around a cause that is logged, never shown.
func Wrap(kind Kind, code, message string, cause error) *Error {
	return &Error{Kind: kind, Code: code, Message: message, Err: cause}
}

// InvalidFields is a 400 naming the bad fields.
func InvalidFields(fields ...FieldError) *Error {
	msg := "the request is invalid"
	if len(fields) > 0 {
		msg = fmt.Sprintf("%s: %s", fields[0].Field, fields[0].Message)
	}
	return &Error{Kind: Invalid, Code: "validation_failed", Message: msg, Fields: fields}
}

// NotFoundf is a 404 with the code "not_found".
func NotFoundf(format string, args ...any) *Error {
	return E(NotFound, "not_found", fmt.Sprintf(format, args...))
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// KindOf is the kind of err: Internal unless it carries an *Error.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return Internal
}
