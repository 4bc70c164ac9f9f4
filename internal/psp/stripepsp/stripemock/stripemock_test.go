package stripemock

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGoBinDir(t *testing.T) {
	gopath := t.TempDir()
	t.Setenv("GOPATH", gopath)
	t.Run("GOPATH/bin when GOBIN is unset", func(t *testing.T) {
		t.Setenv("GOBIN", "")
		got, err := goBinDir(context.Background())
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(gopath, "bin"), got)
	})
	t.Run("GOBIN when it is set", func(t *testing.T) {
		gobin := t.TempDir()
		t.Setenv("GOBIN", gobin)
		got, err := goBinDir(context.Background())
		require.NoError(t, err)
		assert.Equal(t, gobin, got)
	})
}
