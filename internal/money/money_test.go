package money_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"bilhetagem/internal/money"
)

func TestBRLString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   money.BRL
		want string
	}{
		{"zero prints two decimals", 0, "R$ 0,00"},
		{"centavos only", 90, "R$ 0,90"},
		{"a popcorn price", 2490, "R$ 24,90"},
		{"thousands get a dot", 123456, "R$ 1.234,56"},
		{"millions get two dots", 100000000, "R$ 1.000.000,00"},
		{"a refund is negative", -900, "-R$ 9,00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.in.String())
		})
	}
}
