package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/catalog"
)

// ListCinemas lists the chain's cinemas with their rooms.
type ListCinemas struct{ Catalog *catalog.Service }

func (h ListCinemas) Handle(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	cinemas, err := h.Catalog.Cinemas(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := gen.CinemaList{Items: make([]gen.Cinema, 0, len(cinemas))}
	for _, c := range cinemas {
		gc := gen.Cinema{
			ID: c.ID, Name: c.Name, Neighborhood: c.Neighborhood, Address: c.Address, City: c.City, State: c.State,
			Location: gen.Location{Latitude: c.Latitude, Longitude: c.Longitude}, Rooms: make([]gen.RoomSummary, 0, len(c.Rooms)),
		}
		for _, r := range c.Rooms {
			formats := make([]gen.Format, 0, len(r.Formats))
			for _, f := range r.Formats {
				formats = append(formats, gen.Format(f))
			}
			gc.Rooms = append(gc.Rooms, gen.RoomSummary{ID: r.ID, Name: r.Name, Formats: formats, Capacity: r.Layout.Capacity()})
		}
		out.Items = append(out.Items, gc)
	}
	return apigw.JSON(http.StatusOK, out), nil
}
