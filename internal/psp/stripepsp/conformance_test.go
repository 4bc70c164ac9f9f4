package stripepsp_test

import (
	"testing"

	"bilhetagem/internal/psp/psptest"
	"bilhetagem/internal/psp/stripepsp/stripetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	psptest.Conformance(t, stripetest.Harness{})
}
