package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"bilhetagem/internal/psp"
)

// simulatorPixPayPath is where a local run pays a pending Pix of the
// simulator, as a buyer's bank app would: the charge is approved and the
// approval reaches the API by webhook, like any other. Only cmd/local
// serves it; a deployed stack has no such route.
const simulatorPixPayPath = "/dev/psp/pix/{paymentId}/pay"

func payPix(sim *psp.Simulator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := sim.PayPix(r.PathValue("paymentId")); err != nil {
			w.Header().Set("Content-Type", "application/problem+json")
			status := http.StatusConflict
			if errors.Is(err, psp.ErrNoCharge) || strings.Contains(err.Error(), "no Pix charge") {
				status = http.StatusNotFound
			}
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "title": "Pix não pago pelo simulador",
				"status": status, "code": "simulator_refused", "detail": err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
