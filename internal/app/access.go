package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/ratelimit"
)

// Default per-buyer rate limits (docs/adr/0500): a person choosing seats
// holds a few times a minute at most, and orders less often than that.
const (
	DefaultHoldsPerMinute  = 10
	DefaultOrdersPerMinute = 20
)

// AccessConfig is who is staff beyond the token's groups, and how often one
// buyer may hold and order.
type AccessConfig struct {
	// HoldsPerMinute bounds createHold per buyer
	// (RATE_LIMIT_HOLDS_PER_MINUTE, default 10; 0 turns the limit off).
	HoldsPerMinute int
	// OrdersPerMinute bounds createOrder per buyer
	// (RATE_LIMIT_ORDERS_PER_MINUTE, default 20; 0 turns the limit off).
	OrdersPerMinute int
	// StaffEmails are verified e-mails that are staff (STAFF_EMAILS, comma
	// separated): Google ID tokens carry no groups.
	StaffEmails []string
}

func accessConfigFrom(getenv func(string) string) (AccessConfig, error) {
	c := AccessConfig{HoldsPerMinute: DefaultHoldsPerMinute, OrdersPerMinute: DefaultOrdersPerMinute}
	for _, f := range []struct {
		env string
		dst *int
	}{{"RATE_LIMIT_HOLDS_PER_MINUTE", &c.HoldsPerMinute}, {"RATE_LIMIT_ORDERS_PER_MINUTE", &c.OrdersPerMinute}} {
		v := getenv(f.env)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			return AccessConfig{}, fmt.Errorf("config: %s must be 0..1000 requests a minute, got %q", f.env, v)
		}
		*f.dst = n
	}
	for _, e := range strings.Split(getenv("STAFF_EMAILS"), ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		at := strings.Index(e, "@")
		if at < 1 || at != strings.LastIndex(e, "@") || at == len(e)-1 || strings.ContainsAny(e, " \t<>") {
			return AccessConfig{}, fmt.Errorf("config: STAFF_EMAILS holds %q, which is not an e-mail address", e)
		}
		c.StaffEmails = append(c.StaffEmails, e)
	}
	return c, nil
}

// Limiter is the per-buyer rate limiter of c counting in counter; nil when
// every limit is off.
func (c AccessConfig) Limiter(counter ratelimit.Counter) *ratelimit.Limiter {
	rules := map[string]ratelimit.Rule{}
	if c.HoldsPerMinute > 0 {
		rules[operations.CreateHold] = ratelimit.Rule{Limit: c.HoldsPerMinute, Window: time.Minute}
	}
	if c.OrdersPerMinute > 0 {
		rules[operations.CreateOrder] = ratelimit.Rule{Limit: c.OrdersPerMinute, Window: time.Minute}
	}
	if len(rules) == 0 {
		return nil
	}
	return &ratelimit.Limiter{Counter: counter, Rules: rules}
}

// Staff is the staff allow-list of c.
func (c AccessConfig) Staff() apigw.StaffEmails { return apigw.NewStaffEmails(c.StaffEmails...) }
