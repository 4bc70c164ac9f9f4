package dynamo_test

import (
	"testing"

	"bilhetagem/internal/dynamo/dynamotest"
	"bilhetagem/internal/psp"
	"bilhetagem/internal/psp/psptest"
)

func TestSimulatorLedger(t *testing.T) {
	t.Parallel()
	psptest.Ledger(t, func(t *testing.T) psp.Ledger { return dynamotest.NewStore(t).SimulatorLedger() })
}
