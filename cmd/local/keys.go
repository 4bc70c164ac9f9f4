package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// keysFile is where a local run keeps its shared keys, beside DynamoDB
// Local's data: a restart keeps them, so tickets bought before it still
// pass the door, and deleting .data/ starts over with new ones.
const keysFile = "bilhetagem-keys.json"

// localKeyEnvs are the keys every process of an environment shares; in AWS
// they come from Secrets Manager (docs/adr/0105).
var localKeyEnvs = []string{"TICKET_SIGNING_KEY", "PSP_WEBHOOK_SECRET", "WAITING_ROOM_SIGNING_KEY"}

// localKeys returns the shared keys of a local run by environment name:
// read from dataDir's keys file, made and written there the first time, or
// made anew for a run with no data folder (dataDir empty, -in-memory). A
// key set in the environment is left to the environment.
func localKeys(dataDir string, getenv func(string) string) (map[string]string, error) {
	keys := map[string]string{}
	path := ""
	if dataDir != "" {
		path = filepath.Join(dataDir, keysFile)
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &keys); err != nil {
				return nil, fmt.Errorf("local keys: %s is not valid JSON (delete it to make new keys): %w", path, err)
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("local keys: %w", err)
		}
	}
	made := false
	for _, env := range localKeyEnvs {
		if keys[env] != "" {
			continue
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("local keys: %w", err)
		}
		keys[env] = base64.StdEncoding.EncodeToString(b)
		made = true
	}
	if made && path != "" {
		b, err := json.MarshalIndent(keys, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("local keys: %w", err)
		}
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return nil, fmt.Errorf("local keys: %w", err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
			return nil, fmt.Errorf("local keys: %w", err)
		}
	}
	for _, env := range localKeyEnvs {
		if getenv(env) != "" {
			delete(keys, env)
		}
	}
	return keys, nil
}
