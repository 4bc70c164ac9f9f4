package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDryRunPrintsThePlan(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(&out, "2026-12-03", 30, false, time.Now()))
	s := out.String()
	assert.Contains(t, s, "mov-titas-de-aco-o-despertar")
	assert.Contains(t, s, "premiere-mov-titas-de-aco-o-despertar")
	assert.Contains(t, s, "at(2026-12-10T10:00:00)", "the premiere Thursday's scheduled action, São Paulo wall clock")
	assert.Contains(t, s, "America/Sao_Paulo")
}

func TestEvalPrintsTheTable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(&out, "", 30, true, time.Now()))
	assert.Contains(t, out.String(), "Ridge completo")
}

func TestBadFlagsFail(t *testing.T) {
	t.Parallel()
	assert.Error(t, run(&bytes.Buffer{}, "ontem", 30, false, time.Now()))
	assert.Error(t, run(&bytes.Buffer{}, "2026-12-03", 0, false, time.Now()))
}
