// Package apigw adapts API Gateway HTTP API (payload v2) events to the
// application: it validates requests against the contract, enforces the
// operation's auth level, and writes responses, errors always as
// application/problem+json (RFC 9457) through one table of statuses.
package apigw

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/errs"
)

// ProblemContentType is the media type of every error response.
const ProblemContentType = "application/problem+json"

// retryAfterSeconds is what a 503 asks clients to wait.
const retryAfterSeconds = 2

// statusOf is the one table from error kinds to HTTP statuses and titles.
var statusOf = map[errs.Kind]struct {
	status int
	title  string
}{
	errs.Invalid:          {http.StatusBadRequest, "Requisição inválida"},
	errs.Unauthorized:     {http.StatusUnauthorized, "Não autenticado"},
	errs.Forbidden:        {http.StatusForbidden, "Acesso negado"},
	errs.NotFound:         {http.StatusNotFound, "Não encontrado"},
	errs.MethodNotAllowed: {http.StatusMethodNotAllowed, "Método não permitido"},
	errs.Conflict:         {http.StatusConflict, "Conflito"},
	errs.TooLarge:         {http.StatusRequestEntityTooLarge, "Requisição grande demais"},
	errs.Unprocessable:    {http.StatusUnprocessableEntity, "Requisição não processável"},
	errs.TooManyRequests:  {http.StatusTooManyRequests, "Muitas requisições"},
	errs.Unavailable:      {http.StatusServiceUnavailable, "Serviço indisponível"},
	errs.NotImplemented:   {http.StatusNotImplemented, "Ainda não implementado"},
	errs.Internal:         {http.StatusInternalServerError, "Erro interno"},
}

// titleOf names the problems a buyer meets most, by code, as the contract's
// examples do; other problems take their status's title.
var titleOf = map[string]string{
	"seat_taken":               "Assento indisponível",
	"active_hold_exists":       "Você já tem assentos reservados nesta sessão",
	"meia_cap_reached":         "Meia-entrada esgotada",
	"seat_rule_violated":       "Regra de assentos",
	"seat_not_sellable":        "Assento indisponível para venda",
	"sales_closed":             "Vendas encerradas",
	"hold_expired":             "Sua reserva expirou",
	"hold_not_active":          "Reserva não está mais ativa",
	"buyer_hold_limit":         "Limite de reservas ativas",
	"buyer_seat_limit":         "Limite de assentos reservados",
	"hold_churn_limit":         "Muitas reservas desta sessão",
	"request_in_progress":      "Pedido em processamento",
	"idempotency_key_reused":   "Idempotency-Key reutilizada",
	"product_unavailable":      "Produto indisponível",
	"payment_in_progress":      "Pagamento em andamento",
	"invalid_payment_token":    "Cartão não reconhecido",
	"installments_not_offered": "Parcelamento indisponível",
	"pickup_not_found":         "Código de retirada não encontrado",
	"pickup_not_valid":         "Retirada não disponível",
	"pickup_already_redeemed":  "Retirada já feita",
	"pickup_wrong_cinema":      "Retirada de outro cinema",
	"order_not_cancellable":    "Não é mais possível cancelar",
	"invalid_signature":        "Assinatura inválida",
	"ticket_already_used":      "Ingresso já utilizado",
	"ticket_not_valid":         "Ingresso inválido",
	"wrong_showtime":           "Ingresso de outra sessão",
	"outside_check_in_window":  "Fora do horário de entrada",
	"not_implemented":          "Ainda não disponível",
	"unauthorized":             "Autenticação necessária",
}

// StatusOf is the HTTP status for an error.
func StatusOf(err error) int { return statusOf[errs.KindOf(err)].status }

type problemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type problem struct {
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Status     int            `json:"status"`
	Detail     string         `json:"detail,omitempty"`
	Code       string         `json:"code"`
	Instance   string         `json:"instance,omitempty"`
	RequestID  string         `json:"requestId,omitempty"`
	Errors     []problemField `json:"errors,omitempty"`
	Seats      []string       `json:"seats,omitempty"`
	UsedAt     *time.Time     `json:"usedAt,omitempty"`
	RedeemedAt *time.Time     `json:"redeemedAt,omitempty"`
	RedeemedBy string         `json:"redeemedBy,omitempty"`
	Conflicts  []conflict     `json:"conflicts,omitempty"`
}

type conflict struct {
	RoomID     string    `json:"roomId"`
	ShowtimeID string    `json:"showtimeId,omitempty"`
	StartsAt   time.Time `json:"startsAt"`
	BusyUntil  time.Time `json:"busyUntil"`
}

// Problem writes err as problem+json. Errors that are not *errs.Error are
// internal: the client sees only "internal" and the request id; the cause is
// for the log, which the caller writes.
func Problem(err error, requestID, instance string) events.APIGatewayV2HTTPResponse {
	e, ok := errs.As(err)
	if !ok {
		e = errs.E(errs.Internal, "internal", "ocorreu um erro inesperado; informe o requestId ao suporte")
	}
	row, ok := statusOf[e.Kind]
	if !ok {
		row = statusOf[errs.Internal]
	}
	title := row.title
	if t, ok := titleOf[e.Code]; ok {
		title = t
	}
	p := problem{
		Type: "/problems/" + strings.ReplaceAll(e.Code, "_", "-"), Title: title, Status: row.status, Detail: e.Message, Code: e.Code,
		Instance: instance, RequestID: requestID, Seats: e.Seats,
	}
	if !e.UsedAt.IsZero() {
		used := e.UsedAt.UTC()
		p.UsedAt = &used
	}
	if !e.RedeemedAt.IsZero() {
		at := e.RedeemedAt.UTC()
		p.RedeemedAt, p.RedeemedBy = &at, e.RedeemedBy
	}
	for _, c := range e.Conflicts {
		p.Conflicts = append(p.Conflicts, conflict{c.RoomID, c.ShowtimeID, c.StartsAt.UTC(), c.BusyUntil.UTC()})
	}
	if e.Kind == errs.Internal {
		p.Detail = "ocorreu um erro inesperado; informe o requestId ao suporte"
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, problemField(f))
	}
	body, _ := json.Marshal(p)
	resp := events.APIGatewayV2HTTPResponse{
		StatusCode: row.status,
		Headers:    map[string]string{"Content-Type": ProblemContentType, "Cache-Control": "no-store"},
		Body:       string(body),
	}
	if row.status == http.StatusServiceUnavailable {
		resp.Headers["Retry-After"] = strconv.Itoa(retryAfterSeconds)
	}
	if e.RetryAfter > 0 {
		// Whole seconds, rounded up, at least one.
		resp.Headers["Retry-After"] = strconv.Itoa(max(1, int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	return resp
}

// JSON writes a successful response.
func JSON(status int, v any) events.APIGatewayV2HTTPResponse {
	body, err := json.Marshal(v)
	if err != nil {
		return Problem(err, "", "")
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}
}

// NoContent is a 204.
func NoContent() events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusNoContent}
}
