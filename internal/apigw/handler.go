package apigw

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/auth"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/operations"
)

// Handler is what every operation implements: an API Gateway HTTP API
// (payload v2) request in, a response out. Expected failures are responses;
// a returned error is a bug, and the gateway shows it as an opaque 502.
type Handler interface {
	Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return f(ctx, req)
}

type principalKey struct{}

// PrincipalFrom is the authenticated caller, for buyer and staff operations.
func PrincipalFrom(ctx context.Context) (auth.Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(auth.Principal)
	return p, ok
}

// Wrap gives an operation's handler everything that is the same for every
// operation, in this order: a request id and a structured log line; panic
// recovery; the auth level of the registry (claims put in the request context
// by the JWT authorizer, or by the local server after the same validation);
// request validation against the spec; and problem+json for every failure.
func Wrap(op operations.Operation, v *Validator, log *slog.Logger, h Handler) Handler {
	return WrapWithStaff(op, v, log, nil, h)
}

// StaffEmails is an allow-list of e-mail addresses whose holders are staff
// even though their token carries no staff group: Google ID tokens carry no
// groups (docs/adr/0102). Only a verified e-mail (email_verified true)
// counts, compared without case.
type StaffEmails map[string]struct{}

// NewStaffEmails builds the allow-list; blanks are ignored.
func NewStaffEmails(emails ...string) StaffEmails {
	s := StaffEmails{}
	for _, e := range emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			s[e] = struct{}{}
		}
	}
	return s
}

// grant adds the staff group to p when its verified e-mail is listed.
func (s StaffEmails) grant(p auth.Principal, claims map[string]string) auth.Principal {
	if len(s) == 0 || p.IsStaff() || claims["email_verified"] != "true" {
		return p
	}
	if _, ok := s[strings.ToLower(strings.TrimSpace(p.Email))]; ok {
		p.Groups = append(slices.Clone(p.Groups), auth.StaffGroup)
	}
	return p
}

// WrapWithStaff is Wrap with a staff allow-list applied to the principal
// before the registry's auth level is checked.
func WrapWithStaff(op operations.Operation, v *Validator, log *slog.Logger, staff StaffEmails, h Handler) Handler {
	return HandlerFunc(func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, _ error) {
		start := time.Now()
		rid := req.RequestContext.RequestID
		l := log.With("requestId", rid, "operation", op.ID)
		// A client that went away cancels the request's context (the local
		// server does; API Gateway never does): what fails after it is not
		// the service's fault, so it is logged as information.
		gone := func() bool { return errors.Is(ctx.Err(), context.Canceled) }
		defer func() {
			if r := recover(); r != nil {
				l.Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				resp = Problem(fmt.Errorf("panic: %v", r), rid, req.RawPath)
			}
			attrs := []any{"method", op.Method, "path", req.RawPath, "status", resp.StatusCode, "durationMs", time.Since(start).Milliseconds()}
			switch {
			case gone():
				l.Info("request", append(attrs, "clientGone", true)...)
			case resp.StatusCode >= http.StatusInternalServerError && resp.StatusCode != http.StatusNotImplemented:
				l.Error("request", attrs...)
			default:
				l.Info("request", attrs...)
			}
		}()
		fail := func(err error) (events.APIGatewayV2HTTPResponse, error) {
			if (errs.KindOf(err) == errs.Internal || errs.KindOf(err) == errs.Unavailable) && !gone() {
				l.Error("failed", "error", err.Error())
			}
			return Problem(err, rid, req.RawPath), nil
		}

		ctx, err := authorize(ctx, op, req, staff)
		if err != nil {
			return fail(err)
		}
		if err := v.Validate(ctx, op.ID, req); err != nil {
			return fail(err)
		}
		out, err := h.Handle(ctx, req)
		if err != nil {
			return fail(err)
		}
		if out.StatusCode >= http.StatusInternalServerError && out.StatusCode != http.StatusNotImplemented && !gone() {
			l.Error("server error response", "status", out.StatusCode)
		}
		return out, nil
	})
}

// authorize applies the registry's auth level to the claims the gateway
// passed on.
func authorize(ctx context.Context, op operations.Operation, req events.APIGatewayV2HTTPRequest, staff StaffEmails) (context.Context, error) {
	if op.Auth != operations.Buyer && op.Auth != operations.Staff {
		return ctx, nil
	}
	var claims map[string]string
	if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
		claims = a.JWT.Claims
	}
	p, err := auth.FromAPIGatewayClaims(claims)
	if err != nil {
		return ctx, errs.Wrap(errs.Unauthorized, "unauthorized", "faça login para continuar", err)
	}
	p = staff.grant(p, claims)
	if op.Auth == operations.Staff && !p.IsStaff() {
		return ctx, errs.E(errs.Forbidden, "forbidden", "esta operação é exclusiva da equipe do cinema")
	}
	return context.WithValue(ctx, principalKey{}, p), nil
}

// NotImplemented is the handler of an operation that no issue has built yet:
// it answers 501 problem+json and pretends nothing.
func NotImplemented(op operations.Operation) Handler {
	return HandlerFunc(func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, errs.E(errs.NotImplemented, "not_implemented",
			fmt.Sprintf("a operação %s ainda não foi implementada", op.ID))
	})
}
