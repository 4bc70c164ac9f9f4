package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/psp"
)

// The local route pays a pending Pix as a bank app would, once; a card
// charge, a paid Pix and an unknown payment are refused.
func TestLocalRoutePaysAPendingSimulatedPix(t *testing.T) {
	now := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	var approved []string
	sim := psp.NewSimulator(psp.SimConfig{Secret: []byte("s"), Now: func() time.Time { return now }, Synchronous: true,
		Notifier: psp.NotifierFunc(func(_ context.Context, body []byte, _ string) error {
			approved = append(approved, string(body))
			return nil
		})})
	_, err := sim.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-pix", Amount: 4000, Method: psp.Pix, ExpiresAt: now.Add(10 * time.Minute)})
	require.NoError(t, err)
	_, err = sim.Charge(context.Background(), psp.ChargeRequest{PaymentID: "pay-card", Amount: 4000, Method: psp.Card,
		CardToken: psp.TokenPrefix + psp.CardApproves, Installments: 1, ExpiresAt: now.Add(10 * time.Minute)})
	require.NoError(t, err)
	approved = nil // the card's own approval
	mux := http.NewServeMux()
	mux.Handle("POST "+simulatorPixPayPath, payPix(sim))
	post := func(id string) int {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/dev/psp/pix/"+id+"/pay", nil))
		return rec.Code
	}
	assert.Equal(t, http.StatusNoContent, post("pay-pix"))
	require.Len(t, approved, 1, "the approval goes out by webhook")
	assert.Contains(t, approved[0], "pay-pix")
	assert.Equal(t, http.StatusConflict, post("pay-pix"), "paid already")
	assert.Equal(t, http.StatusNotFound, post("pay-card"), "a card charge is no Pix")
	assert.Equal(t, http.StatusNotFound, post("pay-nenhum"))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/dev/psp/pix/pay-card/pay", nil))
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"), "refused as the API refuses")
	assert.Contains(t, rec.Body.String(), `"code":"not_found"`)
	assert.NotContains(t, rec.Body.String(), "psp:", "no internal message")
}
