package main

import (
	"errors"
	"net/http"

	"bilhetagem/internal/apigw"
	"bilhetagem/internal/errs"
	"bilhetagem/internal/localserver"
	"bilhetagem/internal/psp"
)

// simulatorPixPayPath is where a local run pays a pending Pix of the
// simulator, as a buyer's bank app would: the charge is approved and the
// approval reaches the API by webhook, like any other. Only cmd/local
// serves it; a deployed stack has no such route.
const simulatorPixPayPath = "/dev/psp/pix/{paymentId}/pay"

// payPix answers 204, or a problem as the API's: 404 for no Pix charge of
// that payment, 409 for one no longer waiting (paid or expired).
func payPix(sim *psp.Simulator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := sim.PayPix(r.PathValue("paymentId"))
		switch {
		case err == nil:
			w.WriteHeader(http.StatusNoContent)
			return
		case errors.Is(err, psp.ErrNoCharge) || errors.Is(err, psp.ErrNotPix):
			err = errs.Wrap(errs.NotFound, "not_found", "o simulador não tem um Pix para este pagamento", err)
		default:
			err = errs.Wrap(errs.Conflict, "conflict", "este Pix não está mais aguardando pagamento (pago ou expirado)", err)
		}
		localserver.WriteResponse(w, apigw.Problem(err, "", r.URL.Path))
	})
}
