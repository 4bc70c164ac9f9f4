package api

import (
	"time"

	"bilhetagem/internal/api/gen"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/programming"
)

// Conversions for the back-office operations.

func toAdminMovie(m catalog.Movie, today catalog.Date) gen.AdminMovie {
	genres := m.Genres
	if genres == nil {
		genres = []string{}
	}
	out := gen.AdminMovie{
		ID: m.ID, Title: m.Title, OriginalTitle: m.OriginalTitle, Synopsis: m.Synopsis, AgeRating: gen.AgeRating(m.AgeRating),
		Genres: genres, RuntimeMinutes: m.RuntimeMinutes, ReleaseDate: toDate(m.ReleaseDate), PosterURL: m.PosterURL,
		TrailerURL: m.TrailerURL, Distributor: m.Distributor, Status: gen.MovieStatus(m.StatusOn(today)),
		Retired: m.Retired, UpdatedAt: m.UpdatedAt.UTC(),
	}
	if m.Retired && !m.RetiredAt.IsZero() {
		at := m.RetiredAt.UTC()
		out.RetiredAt = &at
	}
	return out
}

func fromMovieInput(in gen.MovieInput) programming.MovieInput {
	return programming.MovieInput{
		Title: in.Title, OriginalTitle: in.OriginalTitle, Synopsis: in.Synopsis, AgeRating: catalog.AgeRating(in.AgeRating),
		Genres: in.Genres, RuntimeMinutes: in.RuntimeMinutes, ReleaseDate: catalog.DateOf(in.ReleaseDate.Time.Add(12 * time.Hour)),
		PosterURL: in.PosterURL, TrailerURL: in.TrailerURL, Distributor: in.Distributor,
	}
}

func fromFormats(fs []catalog.Format) []gen.Format {
	out := make([]gen.Format, 0, len(fs))
	for _, f := range fs {
		out = append(out, gen.Format(f))
	}
	return out
}

func toAdminRoom(r catalog.Room) gen.AdminRoom {
	l := r.Layout
	out := gen.AdminRoom{ID: r.ID, CinemaID: r.CinemaID, Name: r.Name, Formats: fromFormats(r.Formats), Layout: gen.RoomLayout{
		Version: l.Version, Rows: l.Rows(), Width: l.Width, Height: l.Height, Capacity: l.Capacity(),
		Seats: make([]gen.LayoutSeat, 0, len(l.Seats)),
	}}
	for _, s := range l.Seats {
		ls := gen.LayoutSeat{ID: s.ID, Row: s.Row, Number: s.Number, X: s.X, Y: s.Y, Type: gen.SeatType(s.Type), Blocked: s.Blocked}
		if s.Pair != "" {
			pair := s.Pair
			ls.Pair = &pair
		}
		out.Layout.Seats = append(out.Layout.Seats, ls)
	}
	return out
}

func toFormats(fs []gen.Format) []catalog.Format {
	out := make([]catalog.Format, 0, len(fs))
	for _, f := range fs {
		out = append(out, catalog.Format(f))
	}
	return out
}

func toAdminShowtime(a programming.AdminShowtime) gen.AdminShowtime {
	st := toShowtime(a.ShowtimeListing)
	status := a.Status
	if status == "" {
		status = catalog.ShowtimeScheduled
	}
	return gen.AdminShowtime{
		ID: st.ID, MovieID: st.MovieID, MovieTitle: st.MovieTitle, CinemaID: st.CinemaID, CinemaName: st.CinemaName,
		RoomID: st.RoomID, RoomName: st.RoomName, StartsAt: st.StartsAt, EndsAt: st.EndsAt, Format: st.Format,
		Language: st.Language, Status: gen.ShowtimeStatus(status), LayoutVersion: a.LayoutVersion,
		BusyUntil: a.BusyUntil.UTC(), Capacity: a.Capacity, Sold: a.Sold,
	}
}
