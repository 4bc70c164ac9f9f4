package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/operations"
)

func TestListHoldRecommendations(t *testing.T) {
	t.Parallel()
	hs, data := seededHandlers(t)
	// The last showtime of the seed, which no other test touches.
	st := data.Showtimes[len(data.Showtimes)-1]
	var layout catalog.Layout
	for _, r := range data.Rooms {
		if r.CinemaID == st.CinemaID && r.ID == st.RoomID {
			layout = r.Layout
		}
	}
	// Two side-by-side standard seats at the start of a row segment.
	var a, b string
	for i := 0; i+1 < len(layout.Seats) && a == ""; i++ {
		s, n := layout.Seats[i], layout.Seats[i+1]
		first := i == 0 || layout.Seats[i-1].Y != s.Y || layout.Seats[i-1].X != s.X-1
		if first && s.Type == catalog.SeatStandard && n.Type == catalog.SeatStandard && !s.Blocked && !n.Blocked && n.Y == s.Y && n.X == s.X+1 {
			a, b = s.ID, n.ID
		}
	}
	require.NotEmpty(t, a)
	resp := call(t, hs, request{op: operations.CreateHold, claims: buyerClaims("user-rec"),
		body: holdBody(st.ID, a, "INTEIRA", b, "INTEIRA")})
	hold := decode[gen.Hold](t, resp, http.StatusCreated)
	params := map[string]string{"holdId": hold.ID}

	t.Run("listHoldRecommendations/200 ranks the menu for the hold with pt-BR reasons", func(t *testing.T) {
		list := decode[gen.RecommendationList](t, call(t, hs, request{op: operations.ListHoldRecommendations,
			claims: buyerClaims("user-rec"), params: params}), http.StatusOK)
		assert.Equal(t, hold.ID, list.HoldID)
		assert.Equal(t, gen.RecommendationStrategyPERSONALIZED, list.Strategy)
		require.Len(t, list.Items, 5, "five by default")
		for i, r := range list.Items {
			assert.Equal(t, i+1, r.Rank)
			assert.NotEmpty(t, r.Reason)
			assert.Equal(t, gen.MoneyCurrencyBRL, r.Price.Currency)
			assert.Positive(t, r.Price.Amount)
		}
	})
	t.Run("listHoldRecommendations/200 suggests the combo that replaces selected items for less", func(t *testing.T) {
		var pipoca, refri string
		for _, p := range data.Products {
			switch p.ID {
			case "prd-pipoca-salgada":
				pipoca = p.ID
			case "prd-refrigerante":
				refri = p.ID
			}
		}
		require.NotEmpty(t, pipoca)
		require.NotEmpty(t, refri)
		list := decode[gen.RecommendationList](t, call(t, hs, request{op: operations.ListHoldRecommendations,
			claims: buyerClaims("user-rec"), params: params,
			query: url.Values{"selected": {pipoca, refri}, "limit": {"3"}}}), http.StatusOK)
		require.NotEmpty(t, list.Items)
		first := list.Items[0]
		assert.Equal(t, gen.ProductCategoryCOMBO, first.Category)
		assert.ElementsMatch(t, []string{pipoca, refri}, first.Replaces)
		require.NotNil(t, first.Savings)
		assert.Positive(t, first.Savings.Amount)
		assert.Contains(t, first.Reason, "economiza")
		assert.LessOrEqual(t, len(list.Items), 3)
	})
	t.Run("listHoldRecommendations/404 for another buyer's hold", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListHoldRecommendations, claims: buyerClaims("user-other"), params: params}), http.StatusNotFound, "not_found")
	})
	t.Run("listHoldRecommendations/400 for a limit over 10", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListHoldRecommendations, claims: buyerClaims("user-rec"), params: params,
			query: url.Values{"limit": {"11"}}}), http.StatusBadRequest, "validation_failed")
	})
	t.Run("listHoldRecommendations/401 without a buyer", func(t *testing.T) {
		decodeProblem(t, call(t, hs, request{op: operations.ListHoldRecommendations, params: params}), http.StatusUnauthorized, "unauthorized")
	})
}
