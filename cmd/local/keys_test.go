package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/app"
)

func TestLocalKeys(t *testing.T) {
	t.Parallel()
	noEnv := func(string) string { return "" }

	t.Run("the first run makes the keys and keeps them beside the data; a restart reads the same", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "dynamodb")
		first, err := localKeys(dir, noEnv)
		require.NoError(t, err)
		require.Len(t, first, len(localKeyEnvs))
		info, err := os.Stat(filepath.Join(dir, keysFile))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "only the owner reads the keys")

		again, err := localKeys(dir, noEnv)
		require.NoError(t, err)
		assert.Equal(t, first, again)
	})

	t.Run("the keys are valid configuration", func(t *testing.T) {
		t.Parallel()
		keys, err := localKeys(t.TempDir(), noEnv)
		require.NoError(t, err)
		cfg, err := app.ConfigFrom(func(k string) string {
			switch k {
			case "TABLE_NAME":
				return "t"
			case "DYNAMODB_ENDPOINT":
				return "http://127.0.0.1:8000"
			}
			return keys[k]
		})
		require.NoError(t, err)
		assert.Len(t, cfg.Purchase.TicketSigningKey, 32)
		assert.Len(t, cfg.Purchase.WebhookSecret, 44, "the base64 of 32 random bytes")
		assert.Len(t, cfg.Premiere.SigningKey, 32)
	})

	t.Run("without a data folder (-in-memory) each run has keys of its own", func(t *testing.T) {
		t.Parallel()
		a, err := localKeys("", noEnv)
		require.NoError(t, err)
		b, err := localKeys("", noEnv)
		require.NoError(t, err)
		require.Len(t, a, len(localKeyEnvs))
		assert.NotEqual(t, a["TICKET_SIGNING_KEY"], b["TICKET_SIGNING_KEY"])
	})

	t.Run("a key set in the environment is left to it", func(t *testing.T) {
		t.Parallel()
		keys, err := localKeys(t.TempDir(), func(k string) string {
			if k == "PSP_WEBHOOK_SECRET" {
				return "segredo-de-teste-do-webhook-local"
			}
			return ""
		})
		require.NoError(t, err)
		assert.NotContains(t, keys, "PSP_WEBHOOK_SECRET")
		assert.Contains(t, keys, "TICKET_SIGNING_KEY")
	})

	t.Run("a damaged keys file stops the start with what to do", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, keysFile), []byte("{"), 0o600))
		_, err := localKeys(dir, noEnv)
		assert.ErrorContains(t, err, "delete it")
	})
}
