package api

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"bilhetagem/internal/account"
	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
)

// ExportMyData answers a copy of everything the store keeps about the
// caller (LGPD).
type ExportMyData struct {
	Account *account.Service
	Now     func() time.Time
}

func (h ExportMyData) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	who, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	d, err := h.Account.Export(ctx, who.Subject)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := apigw.JSON(http.StatusOK, toExport(who.Subject, d, h.Now()))
	resp.Headers["Cache-Control"] = "no-store"
	resp.Headers["Content-Disposition"] = `attachment; filename="meus-dados-bilhetagem.json"`
	return resp, nil
}

// DeleteMyAccount erases the caller's account (LGPD).
type DeleteMyAccount struct {
	Account *account.Service
	Now     func() time.Time
}

func (h DeleteMyAccount) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	who, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := h.Account.Delete(ctx, who.Subject, h.Now()); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return apigw.NoContent(), nil
}

func toExport(subject string, d account.Data, now time.Time) gen.BuyerDataExport {
	out := gen.BuyerDataExport{ExportedAt: now.UTC(), Subject: subject, Orders: []gen.Order{}, Payments: []gen.Payment{},
		Tickets: []gen.Ticket{}, Notices: []gen.Notice{}, WaitingRoomEntries: []gen.ExportedWaitingRoomEntry{},
		ConcessionHistory: gen.ConcessionHistory{Orders: d.Concessions.Orders, Products: []gen.ConcessionHistoryProduct{}}}
	if d.HasProfile {
		p := d.Profile
		out.Profile = &gen.BuyerProfile{Email: openapi_types.Email(p.Email), Name: p.Name, UpdatedAt: p.UpdatedAt.UTC()}
		out.Consent = &gen.Consent{TermsVersion: p.TermsVersion, AcceptedAt: p.AcceptedAt.UTC()}
	}
	for _, o := range d.Orders {
		out.Orders = append(out.Orders, toOrder(o))
	}
	for _, p := range d.Payments {
		out.Payments = append(out.Payments, toPayment(p))
	}
	for _, t := range d.Tickets {
		out.Tickets = append(out.Tickets, toTicket(t))
	}
	for _, n := range d.Notices {
		out.Notices = append(out.Notices, toNotice(n))
	}
	for _, e := range d.WaitingRoom {
		out.WaitingRoomEntries = append(out.WaitingRoomEntries, gen.ExportedWaitingRoomEntry{ID: e.ID, ShowtimeID: e.ShowtimeID,
			EnteredAt: e.EnteredAt.UTC(), Bypassed: e.Bypassed})
	}
	for id, n := range d.Concessions.Products {
		out.ConcessionHistory.Products = append(out.ConcessionHistory.Products, gen.ConcessionHistoryProduct{ProductID: id, Orders: n})
	}
	slices.SortFunc(out.ConcessionHistory.Products, func(a, b gen.ConcessionHistoryProduct) int {
		return cmp.Or(cmp.Compare(b.Orders, a.Orders), cmp.Compare(a.ProductID, b.ProductID))
	})
	return out
}
