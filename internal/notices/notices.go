// Package notices lets a buyer read what the cinema told them about their
// showtimes (cancelled, rescheduled, an order voided) and mark it read.
package notices

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"bilhetagem/internal/programming"
)

// Store reads and marks a buyer's notices.
type Store interface {
	Notices(ctx context.Context, buyer string) ([]programming.Notice, error)
	MarkNoticesRead(ctx context.Context, buyer string, notices []programming.Notice, at time.Time) error
}

// Service serves the buyer's inbox.
type Service struct {
	Store Store
}

// ID is a notice's id: its kind and showtime ("SHOWTIME_CANCELLED.st-1").
func ID(n programming.Notice) string { return n.Kind + "." + n.ShowtimeID }

// parseID splits an id into the notice it names; false when it names none.
func parseID(id string) (programming.Notice, bool) {
	kind, showtime, ok := strings.Cut(id, ".")
	return programming.Notice{Kind: kind, ShowtimeID: showtime}, ok && kind != "" && showtime != ""
}

// List is the buyer's notices, newest first, and how many are unread.
func (s *Service) List(ctx context.Context, buyer string) ([]programming.Notice, int, error) {
	ns, err := s.Store.Notices(ctx, buyer)
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(ns, func(a, b programming.Notice) int {
		return cmp.Or(b.At.Compare(a.At), strings.Compare(ID(a), ID(b)))
	})
	unread := 0
	for _, n := range ns {
		if n.ReadAt.IsZero() {
			unread++
		}
	}
	return ns, unread, nil
}

// MarkRead marks the named notices read at now, or all of the buyer's when
// ids is empty; a notice read before keeps its time. It returns the list.
func (s *Service) MarkRead(ctx context.Context, buyer string, ids []string, now time.Time) ([]programming.Notice, int, error) {
	var marks []programming.Notice
	if len(ids) == 0 {
		all, err := s.Store.Notices(ctx, buyer)
		if err != nil {
			return nil, 0, err
		}
		for _, n := range all {
			if n.ReadAt.IsZero() {
				marks = append(marks, n)
			}
		}
	}
	for _, id := range ids {
		if n, ok := parseID(id); ok {
			marks = append(marks, n)
		}
	}
	if err := s.Store.MarkNoticesRead(ctx, buyer, marks, now); err != nil {
		return nil, 0, err
	}
	return s.List(ctx, buyer)
}
