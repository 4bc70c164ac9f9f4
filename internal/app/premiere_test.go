package app

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPremiereConfig(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "WAITING_ROOM_SIGNING_KEY" {
				return v
			}
			return ""
		}
	}
	t.Run("an absent key leaves each process its own", func(t *testing.T) {
		c, err := premiereConfigFrom(env(""))
		require.NoError(t, err)
		assert.Empty(t, c.SigningKey)
	})
	t.Run("a base64 32-byte seed is the key", func(t *testing.T) {
		seed := strings.Repeat("k", 32)
		c, err := premiereConfigFrom(env(base64.StdEncoding.EncodeToString([]byte(seed))))
		require.NoError(t, err)
		assert.Equal(t, []byte(seed), c.SigningKey)
	})
	for name, v := range map[string]string{"not base64": "%%%", "too short": base64.StdEncoding.EncodeToString([]byte("short"))} {
		t.Run("a key that is "+name+" fails fast", func(t *testing.T) {
			_, err := premiereConfigFrom(env(v))
			assert.ErrorContains(t, err, "WAITING_ROOM_SIGNING_KEY")
		})
	}
}
