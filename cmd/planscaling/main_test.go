package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// now is the fixed clock of these tests: Monday 2026-12-07, ten minutes
// before midnight in São Paulo, already Tuesday in UTC.
var now = time.Date(2026, time.December, 8, 2, 50, 0, 0, time.UTC)

func TestDryRunPrintsThePlan(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(&out, "2026-12-03", 30, false, now))
	s := out.String()
	assert.Contains(t, s, "mov-titas-de-aco-o-despertar")
	assert.Contains(t, s, "premiere-mov-titas-de-aco-o-despertar")
	assert.Contains(t, s, "at(2026-12-10T10:00:00)", "the premiere Thursday's scheduled action, São Paulo wall clock")
	assert.Contains(t, s, "America/Sao_Paulo")
}

func TestDryRunWithoutADayStartsOnTheSaoPauloDayOfNow(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(&out, "", 30, false, now))
	assert.Contains(t, out.String(), "Scaling plan (dry run) 2026-12-07 → 2027-01-06", "São Paulo's Monday, not UTC's Tuesday")
}

func TestEvalPrintsTheTable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(&out, "", 30, true, now))
	assert.Contains(t, out.String(), "Ridge completo")
}

func TestBadFlagsFail(t *testing.T) {
	t.Parallel()
	assert.Error(t, run(&bytes.Buffer{}, "ontem", 30, false, now))
	assert.Error(t, run(&bytes.Buffer{}, "2026-12-03", 0, false, now))
}
