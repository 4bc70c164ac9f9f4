package account_test

import (
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/account"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/tickets"
)

// The terms a buyer accepts when they order are the ones the SPA shows.
func TestTermsVersionIsTheSPAs(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/app/legal/legal.ts")
	require.NoError(t, err)
	m := regexp.MustCompile(`export const LEGAL_VERSION = '([^']+)'`).FindSubmatch(src)
	require.NotNil(t, m, "legal.ts declares LEGAL_VERSION")
	assert.Equal(t, string(m[1]), account.TermsVersion)
}

func TestDeletableRefusesWhileMoneyOrASeatIsAtStake(t *testing.T) {
	now := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	pending := orders.Order{ID: "ord-1", Status: orders.PendingPayment, ExpiresAt: now.Add(time.Minute)}
	future := tickets.Ticket{OrderID: "ord-2", MovieTitle: "Filme", Status: tickets.Valid, StartsAt: now.Add(time.Hour)}
	cases := []struct {
		name string
		d    account.Data
		code string
	}{
		{"an order waiting for payment", account.Data{Orders: []orders.Order{pending}}, "account_has_open_order"},
		{"a valid ticket to come", account.Data{Tickets: []tickets.Ticket{future}}, "account_has_future_tickets"},
		{"an order whose hold expired", account.Data{Orders: []orders.Order{{ID: "ord-1", Status: orders.PendingPayment, ExpiresAt: now}}}, ""},
		{"a ticket of a showtime that started", account.Data{Tickets: []tickets.Ticket{{Status: tickets.Valid, StartsAt: now}}}, ""},
		{"a cancelled ticket to come", account.Data{Tickets: []tickets.Ticket{{Status: tickets.Cancelled, StartsAt: now.Add(time.Hour)}}}, ""},
		{"nothing", account.Data{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := account.Deletable(c.d, now)
			if c.code == "" {
				assert.NoError(t, err)
				return
			}
			var e *errs.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, errs.Conflict, e.Kind)
			assert.Equal(t, c.code, e.Code)
		})
	}
}
