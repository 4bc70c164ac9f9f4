package concessions

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBlend(t *testing.T) {
	t.Parallel()
	r := Ranker{PriorWeight: 100}
	cases := []struct {
		name         string
		with, orders int
		prior, want  float64
	}{
		{"with no orders the rate is the prior", 0, 0, 0.2, 0.2},
		{"as many orders as the prior weight count half", 60, 100, 0.2, 0.4},
		{"many orders drown the prior", 6000, 10000, 0.2, (6000 + 20.0) / 10100},
		{"a product nobody takes sinks below its prior", 0, 300, 0.2, 20.0 / 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.InDelta(t, tc.want, r.blend(tc.with, tc.orders, tc.prior), 1e-12)
		})
	}
	t.Run("with no prior weight the observed rate is used as is", func(t *testing.T) {
		t.Parallel()
		assert.InDelta(t, 0.25, Ranker{}.blend(25, 100, 0.9), 1e-12)
		assert.InDelta(t, 0.9, Ranker{}.blend(0, 0, 0.9), 1e-12)
	})
}
