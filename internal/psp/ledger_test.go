package psp_test

import (
	"testing"

	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/psptest"
)

func TestMemoryLedger(t *testing.T) {
	psptest.Ledger(t, func(*testing.T) psp.Ledger { return psp.NewMemoryLedger() })
}
