package gotool

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBinDir(t *testing.T) {
	gopath := t.TempDir()
	t.Setenv("GOPATH", gopath)
	t.Run("GOPATH/bin when GOBIN is unset", func(t *testing.T) {
		t.Setenv("GOBIN", "")
		got, err := BinDir(context.Background())
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(gopath, "bin"), got)
	})
	t.Run("GOBIN when it is set", func(t *testing.T) {
		gobin := t.TempDir()
		t.Setenv("GOBIN", gobin)
		got, err := BinDir(context.Background())
		require.NoError(t, err)
		assert.Equal(t, gobin, got)
	})
}

func TestBinaryPrefersTheVariableThenTheGoBinFolder(t *testing.T) {
	tool := Tool{Name: "ferramenta-que-nao-existe", Module: "example.invalid/ferramenta@v0.0.0", BinEnv: "FERRAMENTA_BIN"}
	named := filepath.Join(t.TempDir(), "minha")
	require.NoError(t, os.WriteFile(named, []byte("#!/bin/sh\n"), 0o755))
	t.Setenv(tool.BinEnv, named)
	got, err := tool.Binary(context.Background())
	require.NoError(t, err)
	assert.Equal(t, named, got)

	t.Setenv(tool.BinEnv, filepath.Join(t.TempDir(), "sumiu"))
	_, err = tool.Binary(context.Background())
	assert.Error(t, err, "a variable naming no file is an error, not a fallback")

	t.Setenv(tool.BinEnv, "")
	gobin := t.TempDir()
	t.Setenv("GOBIN", gobin)
	installed := filepath.Join(gobin, tool.Name)
	require.NoError(t, os.WriteFile(installed, []byte("#!/bin/sh\n"), 0o755))
	got, err = tool.Binary(context.Background())
	require.NoError(t, err)
	assert.Equal(t, installed, got)
}
