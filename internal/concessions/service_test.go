package concessions_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
)

// source is an in-memory Source whose reads can fail, to show what the
// service does when the table cannot be read.
type source struct{ aggErr, histErr error }

func (s source) ReadAggregates(context.Context) (concessions.Aggregates, error) {
	return concessions.Aggregates{}, s.aggErr
}

func (s source) ReadHistory(context.Context, string) (concessions.History, error) {
	return concessions.History{}, s.histErr
}

func TestRecommendStrategies(t *testing.T) {
	t.Parallel()
	menu := []catalog.Product{
		{ID: "prd-pipoca-salgada", Name: "Pipoca", Category: catalog.CategoryPopcorn, Active: true,
			Sizes: []catalog.Size{{Code: "M", Price: 2200, Cost: 300}}, Serves: 1},
		{ID: "prd-agua", Name: "Água", Category: catalog.CategoryDrink, Active: true,
			Sizes: []catalog.Size{{Code: "UN", Price: 700, Cost: 100}}, Serves: 1},
	}
	in := concessions.Input{Party: concessions.Party{Tickets: []concessions.Ticket{{Type: "INTEIRA"}}}, Menu: menu}

	t.Run("ranks for the buyer when the aggregates can be read", func(t *testing.T) {
		t.Parallel()
		svc := concessions.Service{Source: source{}, Ranker: concessions.NewRanker()}
		recs, strategy, err := svc.Recommend(context.Background(), "user-ana", in, 2)
		require.NoError(t, err)
		assert.Equal(t, concessions.Personalized, strategy)
		assert.Len(t, recs, 2)
	})
	t.Run("falls back to popularity when the aggregates cannot be read", func(t *testing.T) {
		t.Parallel()
		svc := concessions.Service{Source: source{aggErr: errors.New("down")}, Ranker: concessions.NewRanker()}
		recs, strategy, err := svc.Recommend(context.Background(), "user-ana", in, 2)
		require.NoError(t, err)
		assert.Equal(t, concessions.Popularity, strategy)
		assert.Len(t, recs, 2)
	})
	t.Run("ranks without history when only the history cannot be read", func(t *testing.T) {
		t.Parallel()
		svc := concessions.Service{Source: source{histErr: errors.New("down")}, Ranker: concessions.NewRanker()}
		_, strategy, err := svc.Recommend(context.Background(), "user-ana", in, 2)
		require.NoError(t, err)
		assert.Equal(t, concessions.Personalized, strategy)
	})
}
