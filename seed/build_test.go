package seed_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/money"
	"bilhetagem/seed"
)

var idRE = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

func build(t *testing.T, day string) *seed.Catalog {
	t.Helper()
	today, err := catalog.ParseDate(day)
	require.NoError(t, err)
	c, err := seed.Build(today)
	require.NoError(t, err)
	return c
}

func date(t *testing.T, s string) catalog.Date {
	t.Helper()
	d, err := catalog.ParseDate(s)
	require.NoError(t, err)
	return d
}

func TestBuildCatalog(t *testing.T) {
	t.Parallel()
	const day = "2026-03-02" // a Monday
	c := build(t, day)
	today := date(t, day)

	t.Run("has at least five cinemas with at least three rooms each", func(t *testing.T) {
		t.Parallel()
		require.GreaterOrEqual(t, len(c.Cinemas), 5)
		rooms := map[string]int{}
		for _, r := range c.Rooms {
			rooms[r.CinemaID]++
		}
		for _, cin := range c.Cinemas {
			assert.GreaterOrEqual(t, rooms[cin.ID], 3, cin.ID)
		}
	})

	t.Run("every cinema is a São Paulo address with a gap policy and both policies are used", func(t *testing.T) {
		t.Parallel()
		policies := map[catalog.GapPolicy]bool{}
		for _, cin := range c.Cinemas {
			assert.Equal(t, "São Paulo", cin.City, cin.ID)
			assert.Equal(t, "SP", cin.State, cin.ID)
			assert.Regexp(t, `^Bilhetagem \p{Lu}`, cin.Name, cin.ID)
			assert.NotEmpty(t, cin.Address, cin.ID)
			assert.NotEmpty(t, cin.Neighborhood, cin.ID)
			assert.InDelta(t, -23.6, cin.Latitude, 0.25, "%s latitude within the city", cin.ID)
			assert.InDelta(t, -46.6, cin.Longitude, 0.3, "%s longitude within the city", cin.ID)
			policies[cin.GapPolicy] = true
		}
		assert.Equal(t, map[catalog.GapPolicy]bool{catalog.GapBlock: true, catalog.GapWarn: true}, policies)
	})

	t.Run("every room has a valid version 1 layout of 80 to 250 seats", func(t *testing.T) {
		t.Parallel()
		cinemas := ids(c.Cinemas, func(x catalog.Cinema) string { return x.ID })
		for _, r := range c.Rooms {
			assert.Contains(t, cinemas, r.CinemaID, r.ID)
			require.NoError(t, r.Layout.Validate(), r.ID)
			assert.Equal(t, 1, r.Layout.Version, r.ID)
			assert.GreaterOrEqual(t, len(r.Layout.Seats), 80, r.ID)
			assert.LessOrEqual(t, len(r.Layout.Seats), 250, r.ID)
			assert.NotEmpty(t, r.Formats, r.ID)
		}
	})

	t.Run("every seat type and a blocked seat appear somewhere", func(t *testing.T) {
		t.Parallel()
		types := map[catalog.SeatType]bool{}
		blocked := false
		for _, r := range c.Rooms {
			for _, s := range r.Layout.Seats {
				types[s.Type] = true
				blocked = blocked || s.Blocked
			}
		}
		for _, st := range []catalog.SeatType{catalog.SeatStandard, catalog.SeatVIP, catalog.SeatWheelchair, catalog.SeatCompanion, catalog.SeatCouple} {
			assert.True(t, types[st], "seat type %s", st)
		}
		assert.True(t, blocked, "some seat is blocked")
	})

	t.Run("every room has wheelchair spaces with companions", func(t *testing.T) {
		t.Parallel()
		for _, r := range c.Rooms {
			var w, comp int
			for _, s := range r.Layout.Seats {
				switch s.Type {
				case catalog.SeatWheelchair:
					w++
				case catalog.SeatCompanion:
					comp++
				}
			}
			assert.Positive(t, w, r.ID)
			assert.Equal(t, w, comp, r.ID)
		}
	})

	t.Run("at least two cinemas have a larger IMAX room and every cinema has a 3D room", func(t *testing.T) {
		t.Parallel()
		imax := map[string]bool{}
		threeD := map[string]bool{}
		biggestOther := 0
		smallestIMAX := 1 << 30
		for _, r := range c.Rooms {
			if slices.Contains(r.Formats, catalog.FormatIMAX) {
				imax[r.CinemaID] = true
				smallestIMAX = min(smallestIMAX, len(r.Layout.Seats))
			} else {
				biggestOther = max(biggestOther, len(r.Layout.Seats))
			}
			if slices.Contains(r.Formats, catalog.Format3D) {
				threeD[r.CinemaID] = true
			}
		}
		assert.GreaterOrEqual(t, len(imax), 2)
		assert.Greater(t, smallestIMAX, biggestOther)
		for _, cin := range c.Cinemas {
			assert.True(t, threeD[cin.ID], cin.ID)
		}
	})

	t.Run("has at least twelve movies covering all six age ratings", func(t *testing.T) {
		t.Parallel()
		require.GreaterOrEqual(t, len(c.Movies), 12)
		ratings := map[catalog.AgeRating]bool{}
		for _, m := range c.Movies {
			ratings[m.AgeRating] = true
			assert.NotEmpty(t, m.Title, m.ID)
			assert.NotEmpty(t, m.Synopsis, m.ID)
			assert.NotEmpty(t, m.Genres, m.ID)
			assert.NotEmpty(t, m.Distributor, m.ID)
			assert.Equal(t, "https://img.bilhetagem.example/posters/"+m.ID+".jpg", m.PosterURL)
			assert.Regexp(t, `^https://www\.youtube\.com/watch\?v=[A-Za-z0-9_-]{11}$`, m.TrailerURL, m.ID)
			assert.GreaterOrEqual(t, m.RuntimeMinutes, 80, m.ID)
			assert.LessOrEqual(t, m.RuntimeMinutes, 180, m.ID)
		}
		for _, r := range []catalog.AgeRating{catalog.RatingL, catalog.Rating10, catalog.Rating12, catalog.Rating14, catalog.Rating16, catalog.Rating18} {
			assert.True(t, ratings[r], "rating %s", r)
		}
	})

	t.Run("at least eight movies are showing and four coming, all opening on a Thursday", func(t *testing.T) {
		t.Parallel()
		var showing, coming, comingInWindow int
		for _, m := range c.Movies {
			assert.Equal(t, time.Thursday, m.ReleaseDate.Start().Weekday(), m.ID)
			if m.NowShowing(today) {
				showing++
				continue
			}
			coming++
			if m.ReleaseDate.Before(today.AddDays(seed.Days)) {
				comingInWindow++
			}
		}
		assert.GreaterOrEqual(t, showing, 8)
		assert.GreaterOrEqual(t, coming, 4)
		assert.GreaterOrEqual(t, comingInWindow, 2)
	})

	t.Run("every ticket price is within the Procon anchors", func(t *testing.T) {
		t.Parallel()
		for _, p := range c.Prices {
			for wd := range time.Weekday(7) {
				twoD, ok := p.Inteira(catalog.Format2D, wd)
				require.True(t, ok, "%s 2D on %s", p.CinemaID, wd)
				if wd >= time.Monday && wd <= time.Wednesday {
					assert.True(t, between(twoD, 2000, 2800), "%s 2D %s %s", p.CinemaID, wd, twoD)
				} else {
					assert.True(t, between(twoD, 2800, 3800), "%s 2D %s %s", p.CinemaID, wd, twoD)
				}
				threeD, has3D := p.Inteira(catalog.Format3D, wd)
				if has3D {
					assert.True(t, between(threeD, twoD+200, twoD+800), "%s 3D %s %s is a few reais over 2D", p.CinemaID, wd, threeD)
				}
				if imax, ok := p.Inteira(catalog.FormatIMAX, wd); ok {
					assert.True(t, between(imax, 4000, 6000), "%s IMAX %s %s", p.CinemaID, wd, imax)
					assert.Greater(t, imax, max(twoD, threeD), "%s IMAX %s costs more", p.CinemaID, wd)
				}
			}
			require.Len(t, p.SeatSurcharges, 2, p.CinemaID)
			assert.True(t, between(p.SeatSurcharges[catalog.SeatVIP], 800, 2000), "%s VIP surcharge", p.CinemaID)
			assert.True(t, between(p.SeatSurcharges[catalog.SeatCouple], 300, 1000), "%s couple surcharge per seat", p.CinemaID)
			for _, r := range p.Rules {
				assert.Zero(t, r.Inteira%10, "%s %s price in whole ten-centavos", p.CinemaID, r.Format)
			}
		}
	})

	t.Run("every cinema prices every format it shows on every weekday", func(t *testing.T) {
		t.Parallel()
		require.Len(t, c.Prices, len(c.Cinemas))
		priced := map[catalog.Format]bool{}
		for _, cin := range c.Cinemas {
			i := slices.IndexFunc(c.Prices, func(p catalog.PriceTable) bool { return p.CinemaID == cin.ID })
			require.GreaterOrEqual(t, i, 0, cin.ID)
			p := c.Prices[i]
			offered := map[catalog.Format]bool{}
			for _, r := range c.Rooms {
				if r.CinemaID == cin.ID {
					for _, f := range r.Formats {
						offered[f] = true
					}
				}
			}
			for f := range offered {
				priced[f] = true
				for wd := range time.Weekday(7) {
					_, ok := p.Inteira(f, wd)
					assert.True(t, ok, "%s has an inteira for %s on %s", cin.ID, f, wd)
				}
			}
		}
		assert.Equal(t, map[catalog.Format]bool{catalog.Format2D: true, catalog.Format3D: true, catalog.FormatIMAX: true}, priced)
	})

	t.Run("Tuesday is a promotional day with the week's lowest 2D price", func(t *testing.T) {
		t.Parallel()
		for _, p := range c.Prices {
			assert.Contains(t, p.PromoWeekdays, time.Tuesday, p.CinemaID)
			for _, promo := range p.PromoWeekdays {
				low, _ := p.Inteira(catalog.Format2D, promo)
				for wd := range time.Weekday(7) {
					other, _ := p.Inteira(catalog.Format2D, wd)
					assert.LessOrEqual(t, low, other, "%s promo %s vs %s", p.CinemaID, promo, wd)
				}
			}
		}
	})

	t.Run("concession prices are within the Procon anchors", func(t *testing.T) {
		t.Parallel()
		anchors := map[string][2]money.BRL{
			"prd-pipoca-salgada":  {1900, 2400},
			"prd-pipoca-manteiga": {1900, 2400},
			"prd-pipoca-parmesao": {1900, 2400},
			"prd-pipoca-doce":     {2200, 2900},
			"prd-refrigerante":    {1500, 1800},
			"prd-cachorro-quente": {1050, 2000},
		}
		for _, p := range c.Products {
			bounds, ok := anchors[p.ID]
			switch {
			case ok:
			case p.Category == catalog.CategoryCandy || p.Category == catalog.CategoryChocolate:
				bounds = [2]money.BRL{800, 1100}
			case p.IsCombo():
				bounds = [2]money.BRL{2200, 15000}
			default:
				bounds = [2]money.BRL{500, 3000}
			}
			for _, s := range p.Sizes {
				assert.True(t, between(s.Price, bounds[0], bounds[1]), "%s %s costs %s", p.ID, s.Code, s.Price)
				assert.Positive(t, s.Cost, "%s %s has a unit cost", p.ID, s.Code)
				assert.Less(t, s.Cost, s.Price, "%s %s", p.ID, s.Code)
			}
		}
	})

	t.Run("the menu has popcorn in three sizes, drinks, sweets, snacks and four combos", func(t *testing.T) {
		t.Parallel()
		for _, id := range []string{"prd-pipoca-salgada", "prd-pipoca-doce", "prd-pipoca-manteiga"} {
			p := product(t, c, id)
			require.Len(t, p.Sizes, 3, id)
			assert.Equal(t, []string{"P", "M", "G"}, []string{p.Sizes[0].Code, p.Sizes[1].Code, p.Sizes[2].Code}, id)
			assert.Less(t, p.Sizes[0].Price, p.Sizes[1].Price, id)
			assert.Less(t, p.Sizes[1].Price, p.Sizes[2].Price, id)
		}
		assert.NotEmpty(t, product(t, c, "prd-refrigerante").Flavours)
		categories := map[catalog.ProductCategory]int{}
		sortOrders := map[int]bool{}
		for _, p := range c.Products {
			categories[p.Category]++
			assert.True(t, p.Category.Valid(), p.ID)
			assert.Positive(t, p.Serves, p.ID)
			assert.False(t, sortOrders[p.SortOrder], "%s sort order is unique", p.ID)
			sortOrders[p.SortOrder] = true
		}
		for _, cat := range []catalog.ProductCategory{catalog.CategoryPopcorn, catalog.CategoryDrink, catalog.CategoryChocolate, catalog.CategoryCandy, catalog.CategorySnack} {
			assert.Positive(t, categories[cat], cat)
		}
		assert.GreaterOrEqual(t, categories[catalog.CategoryCombo], 4)
	})

	t.Run("every combo is cheaper than its parts, which are real active products and sizes", func(t *testing.T) {
		t.Parallel()
		for _, p := range c.Products {
			if !p.IsCombo() {
				continue
			}
			assert.Equal(t, catalog.CategoryCombo, p.Category, p.ID)
			require.Len(t, p.Sizes, 1, p.ID)
			var parts, cost money.BRL
			for _, it := range p.ComboItems {
				part := product(t, c, it.ProductID)
				assert.False(t, part.IsCombo(), "%s holds a combo", p.ID)
				assert.True(t, part.Active, "%s holds inactive %s", p.ID, part.ID)
				size, ok := part.Size(it.Size)
				require.True(t, ok, "%s: %s has size %s", p.ID, part.ID, it.Size)
				require.Positive(t, it.Quantity, p.ID)
				parts += size.Price * money.BRL(it.Quantity)
				cost += size.Cost * money.BRL(it.Quantity)
			}
			assert.Less(t, p.Sizes[0].Price, parts, "%s costs less than its parts", p.ID)
			assert.Equal(t, cost, p.Sizes[0].Cost, "%s unit cost is its parts' cost", p.ID)
		}
	})

	t.Run("the menu's gross margin is about 85 percent", func(t *testing.T) {
		t.Parallel()
		var price, cost money.BRL
		for _, p := range c.Products {
			for _, s := range p.Sizes {
				if p.Active {
					price += s.Price
					cost += s.Cost
				}
			}
		}
		margin := float64(price-cost) / float64(price)
		assert.InDelta(t, 0.85, margin, 0.03)
	})

	t.Run("ids are unique short lowercase slugs", func(t *testing.T) {
		t.Parallel()
		groups := map[string][]string{
			"cinema":   ids(c.Cinemas, func(x catalog.Cinema) string { return x.ID }),
			"room":     ids(c.Rooms, func(x catalog.Room) string { return x.ID }),
			"movie":    ids(c.Movies, func(x catalog.Movie) string { return x.ID }),
			"product":  ids(c.Products, func(x catalog.Product) string { return x.ID }),
			"showtime": ids(c.Showtimes, func(x catalog.Showtime) string { return x.ID }),
		}
		prefix := map[string]string{"cinema": "cin-", "room": "room-", "movie": "mov-", "product": "prd-", "showtime": "st-"}
		for kind, list := range groups {
			seen := map[string]bool{}
			for _, id := range list {
				assert.Regexp(t, idRE, id, kind)
				assert.Regexp(t, "^"+prefix[kind], id, kind)
				assert.False(t, seen[id], "%s id %s is unique", kind, id)
				seen[id] = true
			}
		}
	})
}

func TestBuildIsDeterministic(t *testing.T) {
	t.Parallel()

	t.Run("the same day gives an identical catalog", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, build(t, "2026-03-02"), build(t, "2026-03-02"))
	})

	t.Run("another day moves releases and showtimes with it", func(t *testing.T) {
		t.Parallel()
		a, b := build(t, "2026-03-02"), build(t, "2026-03-09")
		assert.Equal(t, a.Cinemas, b.Cinemas)
		assert.Equal(t, a.Products, b.Products)
		for i := range a.Movies {
			assert.Equal(t, a.Movies[i].ReleaseDate.AddDays(7), b.Movies[i].ReleaseDate, a.Movies[i].ID)
		}
		assert.NotEqual(t, a.Showtimes[0].StartsAt, b.Showtimes[0].StartsAt)
	})

	t.Run("a zero day is refused", func(t *testing.T) {
		t.Parallel()
		_, err := seed.Build(catalog.Date{})
		assert.Error(t, err)
	})
}

// TestBuildShowtimes checks the schedule from every weekday, across a month
// end and a year end, and across São Paulo's last two daylight-saving
// changes (midnight skipped on 2018-11-04, 23:00 repeated on 2019-02-16),
// should summer time come back.
func TestBuildShowtimes(t *testing.T) {
	t.Parallel()
	for _, day := range []string{
		"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08",
		"2025-12-24",
		"2018-11-02", "2019-02-15",
	} {
		t.Run("from "+day, func(t *testing.T) {
			t.Parallel()
			today := date(t, day)
			c := build(t, day)
			checkShowtimes(t, today, c)
		})
	}
}

func checkShowtimes(t *testing.T, today catalog.Date, c *seed.Catalog) {
	movies := map[string]catalog.Movie{}
	for _, m := range c.Movies {
		movies[m.ID] = m
	}
	rooms := map[string]catalog.Room{}
	for _, r := range c.Rooms {
		rooms[r.ID] = r
	}
	prices := map[string]catalog.PriceTable{}
	for _, p := range c.Prices {
		prices[p.CinemaID] = p
	}
	require.NotEmpty(t, c.Showtimes)

	t.Run("every cinema has showtimes on each of the 14 days and no other", func(t *testing.T) {
		t.Parallel()
		days := map[string]map[catalog.Date]int{}
		for _, s := range c.Showtimes {
			if days[s.CinemaID] == nil {
				days[s.CinemaID] = map[catalog.Date]int{}
			}
			days[s.CinemaID][s.Day()]++
		}
		for _, cin := range c.Cinemas {
			assert.Len(t, days[cin.ID], seed.Days, cin.ID)
			for i := range seed.Days {
				assert.Positive(t, days[cin.ID][today.AddDays(i)], "%s on %s", cin.ID, today.AddDays(i))
			}
		}
	})

	t.Run("every room shows something every day", func(t *testing.T) {
		t.Parallel()
		perRoom := map[string]map[catalog.Date]bool{}
		for _, s := range c.Showtimes {
			if perRoom[s.RoomID] == nil {
				perRoom[s.RoomID] = map[catalog.Date]bool{}
			}
			perRoom[s.RoomID][s.Day()] = true
		}
		for _, r := range c.Rooms {
			assert.Len(t, perRoom[r.ID], seed.Days, r.ID)
		}
	})

	t.Run("showtimes refer to real movies, cinemas and rooms with the room's layout version", func(t *testing.T) {
		t.Parallel()
		for _, s := range c.Showtimes {
			_, ok := movies[s.MovieID]
			assert.True(t, ok, s.ID)
			r, ok := rooms[s.RoomID]
			require.True(t, ok, s.ID)
			assert.Equal(t, r.CinemaID, s.CinemaID, s.ID)
			assert.Equal(t, r.Layout.Version, s.LayoutVersion, s.ID)
			assert.Equal(t, time.UTC, s.StartsAt.Location(), "%s is stored in UTC", s.ID)
		}
	})

	t.Run("no room shows two things at once counting runtime and cleaning", func(t *testing.T) {
		t.Parallel()
		byRoom := map[string][]catalog.Showtime{}
		for _, s := range c.Showtimes {
			byRoom[s.RoomID] = append(byRoom[s.RoomID], s)
		}
		for room, list := range byRoom {
			slices.SortFunc(list, func(a, b catalog.Showtime) int { return a.StartsAt.Compare(b.StartsAt) })
			for i := 1; i < len(list); i++ {
				prev := list[i-1]
				free := prev.EndsAt(time.Duration(movies[prev.MovieID].RuntimeMinutes) * time.Minute).Add(seed.Cleaning)
				assert.False(t, list[i].StartsAt.Before(free), "%s: %s starts before %s is cleaned", room, list[i].ID, prev.ID)
			}
		}
	})

	t.Run("every start is between 11:00 and 23:30 in São Paulo on a 5-minute mark", func(t *testing.T) {
		t.Parallel()
		for _, s := range c.Showtimes {
			local := s.StartsAt.In(catalog.Zone)
			mins := local.Hour()*60 + local.Minute()
			assert.True(t, mins >= 11*60 && mins <= 23*60+30, "%s starts at %s", s.ID, local.Format("15:04"))
			assert.Zero(t, local.Minute()%5, s.ID)
			assert.Zero(t, local.Second(), s.ID)
		}
	})

	t.Run("each cinema opens by 14:00 and starts its last session from 21:00 to 22:30", func(t *testing.T) {
		t.Parallel()
		type key struct {
			cinema string
			day    catalog.Date
		}
		first, last := map[key]int{}, map[key]int{}
		for _, s := range c.Showtimes {
			local := s.StartsAt.In(catalog.Zone)
			mins := local.Hour()*60 + local.Minute()
			k := key{s.CinemaID, s.Day()}
			if f, ok := first[k]; !ok || mins < f {
				first[k] = mins
			}
			last[k] = max(last[k], mins)
		}
		for k, f := range first {
			assert.True(t, f >= 11*60 && f <= 14*60, "%s %s opens at %d:%02d", k.cinema, k.day, f/60, f%60)
			l := last[k]
			assert.True(t, l >= 21*60 && l <= 22*60+30, "%s %s last session at %d:%02d", k.cinema, k.day, l/60, l%60)
		}
	})

	t.Run("Friday to Sunday have more sessions than Monday to Thursday", func(t *testing.T) {
		t.Parallel()
		var weekend, weekday, weekendDays, weekdayDays int
		perDay := map[catalog.Date]int{}
		for _, s := range c.Showtimes {
			perDay[s.Day()]++
		}
		for d, n := range perDay {
			switch d.Start().Weekday() {
			case time.Friday, time.Saturday, time.Sunday:
				weekend += n
				weekendDays++
			default:
				weekday += n
				weekdayDays++
			}
		}
		require.Positive(t, weekendDays)
		require.Positive(t, weekdayDays)
		assert.Greater(t, float64(weekend)/float64(weekendDays), float64(weekday)/float64(weekdayDays))
	})

	t.Run("no movie plays before its release date", func(t *testing.T) {
		t.Parallel()
		for _, s := range c.Showtimes {
			assert.False(t, s.Day().Before(movies[s.MovieID].ReleaseDate), "%s plays %s before %s", s.ID, s.MovieID, movies[s.MovieID].ReleaseDate)
		}
	})

	t.Run("formats fit the room, every format and language appears, and each has a price that day", func(t *testing.T) {
		t.Parallel()
		formats := map[catalog.Format]bool{}
		languages := map[catalog.Language]bool{}
		for _, s := range c.Showtimes {
			formats[s.Format] = true
			languages[s.Language] = true
			assert.Contains(t, rooms[s.RoomID].Formats, s.Format, s.ID)
			assert.True(t, s.Language.Valid(), s.ID)
			_, ok := prices[s.CinemaID].Inteira(s.Format, s.StartsAt.In(catalog.Zone).Weekday())
			assert.True(t, ok, "%s has a price", s.ID)
		}
		assert.Equal(t, map[catalog.Format]bool{catalog.Format2D: true, catalog.Format3D: true, catalog.FormatIMAX: true}, formats)
		assert.Equal(t, map[catalog.Language]bool{catalog.Dubbed: true, catalog.Subtitled: true, catalog.National: true}, languages)
	})

	t.Run("showtime ids are unique short slugs naming cinema, room, day and time", func(t *testing.T) {
		t.Parallel()
		seen := map[string]bool{}
		for _, s := range c.Showtimes {
			assert.Regexp(t, idRE, s.ID)
			local := s.StartsAt.In(catalog.Zone)
			room := s.RoomID[len("room-"):]
			assert.Equal(t, "st-"+room+"-"+local.Format("20060102-1504"), s.ID)
			assert.False(t, seen[s.ID], s.ID)
			seen[s.ID] = true
		}
	})

	t.Run("the franchise premiere in the window gets IMAX and the most sessions on its opening day", func(t *testing.T) {
		t.Parallel()
		var premiere catalog.Movie
		for _, m := range c.Movies {
			if m.Franchise && !m.NowShowing(today) && m.ReleaseDate.Before(today.AddDays(seed.Days)) {
				premiere = m
			}
		}
		require.NotEmpty(t, premiere.ID, "a franchise film opens within the window")
		perMovie := map[string]int{}
		imax := 0
		for _, s := range c.Showtimes {
			if s.Day() != premiere.ReleaseDate {
				continue
			}
			perMovie[s.MovieID]++
			if s.MovieID == premiere.ID && s.Format == catalog.FormatIMAX {
				imax++
			}
		}
		assert.Positive(t, imax)
		for id, n := range perMovie {
			if id != premiere.ID {
				assert.Greater(t, perMovie[premiere.ID], n, "%s outplays %s", premiere.ID, id)
			}
		}
	})
}

func between(v, lo, hi money.BRL) bool { return v >= lo && v <= hi }

func ids[T any](list []T, id func(T) string) []string {
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, id(x))
	}
	return out
}

func product(t *testing.T, c *seed.Catalog, id string) catalog.Product {
	t.Helper()
	i := slices.IndexFunc(c.Products, func(p catalog.Product) bool { return p.ID == id })
	require.GreaterOrEqual(t, i, 0, "product %s exists", id)
	return c.Products[i]
}
