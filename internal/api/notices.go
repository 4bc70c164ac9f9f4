package api

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/notices"
	"bilhetagem/internal/programming"
)

// ListMyNotices is the signed-in buyer's inbox.
type ListMyNotices struct {
	Notices *notices.Service
}

func (h ListMyNotices) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	who, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	ns, unread, err := h.Notices.List(ctx, who.Subject)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return noticeList(ns, unread), nil
}

// MarkNoticesRead marks the buyer's notices read, some or all.
type MarkNoticesRead struct {
	Notices *notices.Service
	Now     func() time.Time
}

func (h MarkNoticesRead) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	who, err := caller(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var in gen.MarkNoticesReadRequest
	if _, err := decodeBody(req, &in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var ids []string
	if in.Ids != nil {
		ids = *in.Ids
	}
	ns, unread, err := h.Notices.MarkRead(ctx, who.Subject, ids, h.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return noticeList(ns, unread), nil
}

func noticeList(ns []programming.Notice, unread int) events.APIGatewayV2HTTPResponse {
	out := gen.NoticeList{Items: []gen.Notice{}, Unread: unread}
	for _, n := range ns {
		out.Items = append(out.Items, toNotice(n))
	}
	resp := apigw.JSON(http.StatusOK, out)
	resp.Headers["Cache-Control"] = "no-store"
	return resp
}

func toNotice(n programming.Notice) gen.Notice {
	item := gen.Notice{ID: notices.ID(n), Kind: gen.NoticeKind(n.Kind), ShowtimeID: n.ShowtimeID, Message: n.Message, At: n.At.UTC()}
	if !n.ReadAt.IsZero() {
		at := n.ReadAt.UTC()
		item.ReadAt = &at
	}
	return item
}
