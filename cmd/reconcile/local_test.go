package main

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/dynamo/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

func TestMakeReconcilePrintsTheSummary(t *testing.T) {
	store := dynamotest.NewStore(t)
	env := map[string]string{"DYNAMODB_ENDPOINT": dynamotest.Endpoint(t), "TABLE_NAME": store.TableName()}
	var out bytes.Buffer
	code := runLocal(localOptions{table: "not-this-one", getenv: func(k string) string { return env[k] }, out: &out})
	require.Equal(t, 0, code)
	var summary struct {
		From, To   string
		Movements  *int
		Mismatches []any
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &summary), out.String())
	assert.NotEmpty(t, summary.From)
	assert.NotEmpty(t, summary.To)
	require.NotNil(t, summary.Movements)
	assert.Empty(t, summary.Mismatches, "an empty table agrees with an empty ledger")

	t.Run("a table that is not there fails the run", func(t *testing.T) {
		env := map[string]string{"DYNAMODB_ENDPOINT": dynamotest.Endpoint(t), "TABLE_NAME": "no-such-table"}
		var out bytes.Buffer
		assert.Equal(t, 1, runLocal(localOptions{getenv: func(k string) string { return env[k] }, out: &out}))
		assert.Empty(t, out.String(), "no summary of a run that did not complete")
	})
}
