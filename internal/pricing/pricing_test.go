package pricing_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
	"bilhetagem/internal/pricing"
)

var table = catalog.PriceTable{
	CinemaID: "cin-paulista",
	Rules: []catalog.PriceRule{
		{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Monday, time.Wednesday}, Inteira: 2600},
		{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Tuesday}, Inteira: 2000},
		{Format: catalog.Format2D, Weekdays: []time.Weekday{time.Thursday, time.Friday, time.Saturday, time.Sunday}, Inteira: 3600},
		{Format: catalog.FormatIMAX, Weekdays: []time.Weekday{time.Monday, time.Wednesday}, Inteira: 4801},
		{Format: catalog.FormatIMAX, Weekdays: []time.Weekday{time.Tuesday}, Inteira: 4200},
		{Format: catalog.FormatIMAX, Weekdays: []time.Weekday{time.Thursday, time.Friday, time.Saturday, time.Sunday}, Inteira: 5800},
	},
	SeatSurcharges: map[catalog.SeatType]money.BRL{catalog.SeatVIP: 1500, catalog.SeatCouple: 600},
	PromoWeekdays:  []time.Weekday{time.Tuesday},
}

func TestPrice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		format catalog.Format
		day    time.Weekday
		seat   catalog.SeatType
		ticket pricing.TicketType
		want   pricing.Quote
	}{
		{"inteira on a weekend is the weekend price", catalog.Format2D, time.Saturday, catalog.SeatStandard, pricing.Inteira,
			pricing.Quote{Ticket: 3600, Total: 3600}},
		{"meia on a weekend is half the weekend price", catalog.Format2D, time.Saturday, catalog.SeatStandard, pricing.MeiaEstudante,
			pricing.Quote{Ticket: 1800, Total: 1800, Meia: true}},
		{"inteira on the promotional Tuesday is the promotion", catalog.Format2D, time.Tuesday, catalog.SeatStandard, pricing.Inteira,
			pricing.Quote{Ticket: 2000, Total: 2000}},
		{"meia on the promotional Tuesday is half the regular price, not half the promotion", catalog.Format2D, time.Tuesday, catalog.SeatStandard, pricing.MeiaIdoso,
			pricing.Quote{Ticket: 1300, Total: 1300, Meia: true}},
		{"a VIP seat adds its surcharge to inteira", catalog.Format2D, time.Friday, catalog.SeatVIP, pricing.Inteira,
			pricing.Quote{Ticket: 3600, Surcharge: 1500, Total: 5100}},
		{"a VIP seat adds its full surcharge to meia", catalog.Format2D, time.Friday, catalog.SeatVIP, pricing.MeiaProfessor,
			pricing.Quote{Ticket: 1800, Surcharge: 1500, Total: 3300, Meia: true}},
		{"a couple seat adds its surcharge per seat", catalog.Format2D, time.Monday, catalog.SeatCouple, pricing.Inteira,
			pricing.Quote{Ticket: 2600, Surcharge: 600, Total: 3200}},
		{"half of an odd price rounds up to the centavo", catalog.FormatIMAX, time.Monday, catalog.SeatStandard, pricing.MeiaPcD,
			pricing.Quote{Ticket: 2401, Total: 2401, Meia: true}},
		{"the companion of a PcD pays meia", catalog.FormatIMAX, time.Sunday, catalog.SeatCompanion, pricing.MeiaAcompanhantePcD,
			pricing.Quote{Ticket: 2900, Total: 2900, Meia: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := pricing.Price(table, tc.format, tc.day, tc.seat, tc.ticket)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	t.Run("a format the cinema does not price is an error", func(t *testing.T) {
		t.Parallel()
		_, err := pricing.Price(table, catalog.Format3D, time.Monday, catalog.SeatStandard, pricing.Inteira)
		require.ErrorIs(t, err, pricing.ErrNoPrice)
	})
	t.Run("an unknown ticket type is an error", func(t *testing.T) {
		t.Parallel()
		_, err := pricing.Price(table, catalog.Format2D, time.Monday, catalog.SeatStandard, "MEIA_VIP")
		require.Error(t, err)
	})
}

func TestRegular(t *testing.T) {
	t.Parallel()
	for day := time.Sunday; day <= time.Saturday; day++ {
		t.Run("on "+day.String()+" meia is half of the regular price, which promo names", func(t *testing.T) {
			t.Parallel()
			regular, promo, err := pricing.Regular(table, catalog.Format2D, day)
			require.NoError(t, err)
			assert.Equal(t, day == time.Tuesday, promo)
			inteira, err := pricing.Price(table, catalog.Format2D, day, catalog.SeatStandard, pricing.Inteira)
			require.NoError(t, err)
			if !promo {
				assert.Equal(t, inteira.Ticket, regular, "on a regular day the regular price is the inteira")
			} else {
				assert.Equal(t, money.BRL(2600), regular, "on the promotion the lowest regular 2D price")
			}
			meia, err := pricing.Price(table, catalog.Format2D, day, catalog.SeatStandard, pricing.MeiaEstudante)
			require.NoError(t, err)
			assert.Equal(t, (regular+1)/2, meia.Ticket)
		})
	}
	t.Run("a format the cinema does not price is an error", func(t *testing.T) {
		t.Parallel()
		_, _, err := pricing.Regular(table, catalog.Format3D, time.Monday)
		require.ErrorIs(t, err, pricing.ErrNoPrice)
	})
}

func TestTicketTypes(t *testing.T) {
	t.Parallel()
	for _, tt := range pricing.All {
		assert.True(t, tt.Valid())
		assert.NotEqual(t, string(tt), tt.Label(), "%s has a pt-BR label", tt)
		if tt.Meia() {
			assert.NotEmpty(t, tt.Proof(), "%s says what to show at the door", tt)
		}
	}
	assert.False(t, pricing.Inteira.Meia())
	assert.False(t, pricing.TicketType("MEIA_FAKE").Meia())
}
