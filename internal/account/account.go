// Package account is what the buyer controls about themselves (LGPD): the
// profile the cinema keeps to reach them, a copy of all their data, and the
// deletion of their account (docs/adr/0612).
package account

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"bilhetagem/internal/concessions"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/orders"
	"bilhetagem/internal/programming"
	"bilhetagem/internal/tickets"
	"bilhetagem/internal/waitingroom"
)

// TermsVersion is the version of the terms of use and the privacy policy
// the SPA shows (frontend LEGAL_VERSION; a test keeps the two equal). A
// buyer accepts it when they order.
const TermsVersion = "2026-12-07"

// Profile is how the cinema reaches a buyer, and which terms they accepted.
// It is the only item that holds the buyer's e-mail and name.
type Profile struct {
	Subject      string
	Email        string
	Name         string
	TermsVersion string
	AcceptedAt   time.Time // when TermsVersion was accepted
	UpdatedAt    time.Time
}

// Data is everything the store holds about one buyer.
type Data struct {
	Profile     Profile
	HasProfile  bool
	Orders      []orders.Order
	Payments    []orders.Payment
	Tickets     []tickets.Ticket
	Notices     []programming.Notice
	WaitingRoom []waitingroom.Entry
	Concessions concessions.History
}

// Store keeps profiles, reads a buyer's data and erases it.
type Store interface {
	PutProfile(ctx context.Context, p Profile) error
	BuyerData(ctx context.Context, subject string) (Data, error)
	// EraseBuyer deletes the buyer's personal items and moves what fiscal
	// rules keep (orders, payments, tickets, sold seats) to alias. It may
	// be run again after a failure and finishes the job.
	EraseBuyer(ctx context.Context, subject, alias string, d Data) error
}

// Service serves the buyer's profile, export and deletion.
type Service struct {
	Store Store
	// NewAlias names the anonymous owner of a deleted buyer's kept
	// records; nil draws 16 random bytes.
	NewAlias func() string
}

func (s *Service) alias() string {
	if s.NewAlias != nil {
		return s.NewAlias()
	}
	return "anon-" + rand.Text()
}

// Record keeps the buyer's e-mail and name, and their acceptance of the
// current terms, when they order. Without an e-mail there is no one to
// write to, and nothing is kept.
func (s *Service) Record(ctx context.Context, subject, email, name string, now time.Time) error {
	if s == nil || email == "" {
		return nil
	}
	return s.Store.PutProfile(ctx, Profile{Subject: subject, Email: email, Name: name,
		TermsVersion: TermsVersion, AcceptedAt: now.UTC(), UpdatedAt: now.UTC()})
}

// Export is a copy of the buyer's data.
func (s *Service) Export(ctx context.Context, subject string) (Data, error) {
	return s.Store.BuyerData(ctx, subject)
}

// Delete erases the buyer's account, unless an order is still being paid
// or a ticket is for a showtime still to come: those are settled first
// (cancelled and refunded, or used), so no one loses a seat or money they
// did not mean to.
func (s *Service) Delete(ctx context.Context, subject string, now time.Time) error {
	d, err := s.Store.BuyerData(ctx, subject)
	if err != nil {
		return err
	}
	if err := Deletable(d, now); err != nil {
		return err
	}
	if err := s.Store.EraseBuyer(ctx, subject, s.alias(), d); err != nil {
		return fmt.Errorf("erase buyer: %w", err)
	}
	return nil
}

// Deletable says why the account cannot be deleted now, or nil.
func Deletable(d Data, now time.Time) error {
	for _, o := range d.Orders {
		if o.StatusAt(now) == orders.PendingPayment {
			return errs.E(errs.Conflict, "account_has_open_order",
				fmt.Sprintf("o pedido %s ainda aguarda pagamento; pague ou cancele-o antes de excluir a conta", o.ID))
		}
	}
	for _, t := range d.Tickets {
		if t.Status == tickets.Valid && t.StartsAt.After(now) {
			return errs.E(errs.Conflict, "account_has_future_tickets",
				fmt.Sprintf("você tem ingressos para %s em uma sessão que ainda não aconteceu; cancele o pedido %s (com reembolso) ou use os ingressos antes de excluir a conta",
					t.MovieTitle, t.OrderID))
		}
	}
	return nil
}
