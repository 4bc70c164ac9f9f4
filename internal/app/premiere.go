package app

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"time"

	"bilhetagem/internal/api"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/releases"
	"bilhetagem/internal/scaling"
	"bilhetagem/internal/waitingroom"
	"bilhetagem/seed"
)

// PremiereConfig configures premiere readiness: the release classifier, the
// scaling plan and the waiting room.
type PremiereConfig struct {
	// SigningKey is the 32-byte Ed25519 seed of the admission tokens
	// (WAITING_ROOM_SIGNING_KEY, base64). Every function that signs
	// (enterWaitingRoom, getWaitingRoomEntry) or checks (createHold) them
	// must share it; empty gives each process a random key, which is right
	// for the local server only (docs/adr/0402).
	SigningKey []byte
}

// CacheTTL is how long a process keeps the waiting-room settings, a movie's
// class and the overrides between reads.
const CacheTTL = 5 * time.Second

func premiereConfigFrom(getenv func(string) string) (PremiereConfig, error) {
	var c PremiereConfig
	if v := getenv("WAITING_ROOM_SIGNING_KEY"); v != "" {
		key, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(key) != 32 {
			return PremiereConfig{}, fmt.Errorf("config: WAITING_ROOM_SIGNING_KEY must be a base64 32-byte Ed25519 seed")
		}
		c.SigningKey = key
	}
	return c, nil
}

// Premiere builds the premiere services on a store: the classifier trained
// on the shipped history, the planner and the waiting room.
func Premiere(store *dynamo.Store, cfg PremiereConfig, log *slog.Logger) (*releases.Service, *scaling.Service, *waitingroom.Service, error) {
	history, err := releases.ParseHistory(bytes.NewReader(seed.ReleaseHistoryCSV))
	if err != nil {
		return nil, nil, nil, err
	}
	inputs, err := releases.ParseInputs(bytes.NewReader(seed.ReleaseInputsCSV))
	if err != nil {
		return nil, nil, nil, err
	}
	model, err := releases.Train(history)
	if err != nil {
		return nil, nil, nil, err
	}
	// Presale velocity comes from the counter that paying an order keeps
	// (docs/adr/0400).
	rel := &releases.Service{Store: store, Model: model, Inputs: inputs, Sales: store}
	sc := &scaling.Service{Releases: rel, Store: store, CacheTTL: CacheTTL}
	signer := waitingroom.NewEphemeralSigner()
	if len(cfg.SigningKey) > 0 {
		if signer, err = waitingroom.NewSigner(cfg.SigningKey); err != nil {
			return nil, nil, nil, err
		}
	} else if log != nil {
		log.Warn("WAITING_ROOM_SIGNING_KEY is not set: admission tokens are signed with a key of this process only")
	}
	wr := &waitingroom.Service{Store: store, Signer: signer, Demand: sc, SettingsTTL: CacheTTL}
	return rel, sc, wr, nil
}

func wirePremiere(d *api.Deps, store *dynamo.Store, cfg PremiereConfig, log *slog.Logger) error {
	rel, sc, wr, err := Premiere(store, cfg, log)
	if err != nil {
		return fmt.Errorf("premiere: %w", err)
	}
	d.Releases, d.Scaling, d.WaitingRoom = rel, sc, wr
	return nil
}
