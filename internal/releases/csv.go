package releases

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"bilhetagem/internal/catalog"
)

// Input is what ops enter or import for an upcoming release (no live calls):
// whether it is a sequel, an interest index and how many days before the
// release the presale opens.
type Input struct {
	MovieID         string
	Sequel          bool
	InterestIndex   int
	HasInterest     bool
	PresaleLeadDays int // 0 when unknown
}

// ParseHistory reads past releases from CSV with the header
// id,title,release_date,franchise,sequel,genres,age_rating,screens,showtimes,interest_index,opening_day_tickets,source
// (genres separated by "|", an empty interest_index when unknown).
func ParseHistory(r io.Reader) ([]Past, error) {
	rows, err := readCSV(r, []string{"id", "title", "release_date", "franchise", "sequel", "genres", "age_rating",
		"screens", "showtimes", "interest_index", "opening_day_tickets", "source"})
	if err != nil {
		return nil, fmt.Errorf("parse history: %w", err)
	}
	out := make([]Past, 0, len(rows))
	for i, row := range rows {
		p, err := parsePast(row)
		if err != nil {
			return nil, fmt.Errorf("parse history: line %d: %w", i+2, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePast(row []string) (Past, error) {
	p := Past{ID: row[0], Title: row[1]}
	var err error
	if p.Release, err = catalog.ParseDate(row[2]); err != nil {
		return Past{}, err
	}
	if p.Franchise, err = strconv.ParseBool(row[3]); err != nil {
		return Past{}, fmt.Errorf("franchise: %w", err)
	}
	if p.Sequel, err = strconv.ParseBool(row[4]); err != nil {
		return Past{}, fmt.Errorf("sequel: %w", err)
	}
	p.Genres = strings.Split(row[5], "|")
	p.AgeRating = catalog.AgeRating(row[6])
	if !p.AgeRating.Valid() {
		return Past{}, fmt.Errorf("age rating %q", row[6])
	}
	if p.Screens, err = strconv.Atoi(row[7]); err != nil {
		return Past{}, fmt.Errorf("screens: %w", err)
	}
	if p.Showtimes, err = strconv.Atoi(row[8]); err != nil {
		return Past{}, fmt.Errorf("showtimes: %w", err)
	}
	if p.InterestIndex, p.HasInterest, err = parseIndex(row[9]); err != nil {
		return Past{}, err
	}
	if p.OpeningDayTickets, err = strconv.Atoi(row[10]); err != nil || p.OpeningDayTickets <= 0 {
		return Past{}, fmt.Errorf("opening_day_tickets %q", row[10])
	}
	return p, nil
}

// ParseInputs reads ops inputs from CSV with the header
// movie_id,sequel,interest_index,presale_lead_days.
func ParseInputs(r io.Reader) (map[string]Input, error) {
	rows, err := readCSV(r, []string{"movie_id", "sequel", "interest_index", "presale_lead_days"})
	if err != nil {
		return nil, fmt.Errorf("parse inputs: %w", err)
	}
	out := make(map[string]Input, len(rows))
	for i, row := range rows {
		in := Input{MovieID: row[0]}
		if in.Sequel, err = strconv.ParseBool(row[1]); err != nil {
			return nil, fmt.Errorf("parse inputs: line %d: sequel: %w", i+2, err)
		}
		if in.InterestIndex, in.HasInterest, err = parseIndex(row[2]); err != nil {
			return nil, fmt.Errorf("parse inputs: line %d: %w", i+2, err)
		}
		if row[3] != "" {
			if in.PresaleLeadDays, err = strconv.Atoi(row[3]); err != nil || in.PresaleLeadDays < 0 || in.PresaleLeadDays > 60 {
				return nil, fmt.Errorf("parse inputs: line %d: presale_lead_days %q", i+2, row[3])
			}
		}
		if _, dup := out[in.MovieID]; dup {
			return nil, fmt.Errorf("parse inputs: line %d: %s appears twice", i+2, in.MovieID)
		}
		out[in.MovieID] = in
	}
	return out, nil
}

func parseIndex(s string) (int, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100 {
		return 0, false, fmt.Errorf("interest_index %q: want 0..100", s)
	}
	return n, true, nil
}

func readCSV(r io.Reader, header []string) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = len(header)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("empty file")
	}
	for i, h := range header {
		if strings.TrimSpace(rows[0][i]) != h {
			return nil, fmt.Errorf("column %d is %q, want %q", i+1, rows[0][i], h)
		}
	}
	return rows[1:], nil
}
