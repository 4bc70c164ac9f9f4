package psp_test

import (
	"testing"

	"bilhetagem/internal/psp/psptest"
)

func TestConformance(t *testing.T) {
	psptest.Conformance(t, psptest.Simulator{})
}
