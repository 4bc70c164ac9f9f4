package concessions

import (
	"context"
	"fmt"
)

// Strategy says how a list was ordered.
type Strategy string

const (
	// Personalized is the ranking for this buyer and hold.
	Personalized Strategy = "PERSONALIZED"
	// Popularity is the static order, used when the ranking cannot run.
	Popularity Strategy = "POPULARITY"
)

// Source reads what the ranking learns from paid orders.
type Source interface {
	ReadAggregates(ctx context.Context) (Aggregates, error)
	ReadHistory(ctx context.Context, buyer string) (History, error)
}

// Service ranks the menu for a hold.
type Service struct {
	Source Source
	Ranker Ranker
}

// Recommend ranks the menu for the buyer's hold. When the learned aggregates
// cannot be read it still answers, with the priors' popularity order; when
// only the buyer's history cannot be read it ranks without it.
func (s *Service) Recommend(ctx context.Context, buyer string, in Input, limit int) ([]Recommendation, Strategy, error) {
	agg, err := s.Source.ReadAggregates(ctx)
	if err != nil {
		return s.Ranker.Popular(in.Menu, Aggregates{}, in.Stock, limit), Popularity, nil
	}
	in.Aggregates = agg
	if h, err := s.Source.ReadHistory(ctx, buyer); err == nil {
		in.History = h
	}
	recs := s.Ranker.Rank(in, limit)
	if len(recs) == 0 && len(in.Menu) > 0 && len(in.Selected) == 0 {
		return nil, "", fmt.Errorf("recommend: the ranking returned nothing for a non-empty menu")
	}
	return recs, Personalized, nil
}
