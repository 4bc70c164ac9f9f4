package releases

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"bilhetagem/internal/catalog"
)

// Lambda is the ridge penalty. Forty-odd past releases and a dozen features
// overfit without it; the bias is not penalized.
const Lambda = 1.0

// Score maps predicted tickets to 0..1 on a log scale: 10 k tickets is 0,
// 3.16 M is 1. HIGH starts at 0.56 (250 k) and BLOCKBUSTER at 0.76 (800 k).
func Score(tickets float64) float64 {
	if tickets <= 0 {
		return 0
	}
	return clamp((math.Log10(tickets)-4)/2.5, 0, 1)
}

// featureNames name the columns of a feature vector, for reasons and docs.
// The last two exist only in the scheduled model.
var featureNames = []string{"bias", "franchise", "sequel", "action", "animation", "horror", "comedy",
	"drama", "family", "adult", "interest", "screens", "showtimes"}

const scheduleColumns = 2

// vector is the feature vector of f. interestPrior stands in for a missing
// interest index (the history's mean), so absence is not read as zero
// interest.
func vector(f Features, scheduled bool, interestPrior float64) []float64 {
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	has := func(gs ...string) bool {
		for _, g := range f.Genres {
			if slices.ContainsFunc(gs, func(s string) bool { return strings.EqualFold(s, g) }) {
				return true
			}
		}
		return false
	}
	interest := interestPrior
	if f.HasInterest {
		interest = float64(f.InterestIndex) / 100
	}
	x := []float64{1, b(f.Franchise), b(f.Sequel),
		b(has("Ação", "Aventura", "Ficção científica")), b(has("Animação")), b(has("Terror")),
		b(has("Comédia")), b(has("Drama", "Romance", "Documentário")),
		b(f.AgeRating == catalog.RatingL || f.AgeRating == catalog.Rating10),
		b(f.AgeRating == catalog.Rating16 || f.AgeRating == catalog.Rating18),
		interest}
	if scheduled {
		x = append(x, math.Log1p(float64(f.Screens)), math.Log1p(float64(f.Showtimes)))
	}
	return x
}

// ridge is one fitted linear model of log10 tickets.
type ridge struct {
	w []float64
}

func (r ridge) predict(x []float64) float64 {
	var s float64
	for i := range x {
		s += r.w[i] * x[i]
	}
	return s
}

// fitRidge solves (XᵀX + λI')w = Xᵀy, I' without the bias.
func fitRidge(xs [][]float64, ys []float64, lambda float64) (ridge, error) {
	if len(xs) == 0 {
		return ridge{}, errors.New("fit: no samples")
	}
	n := len(xs[0])
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n+1)
	}
	for k, x := range xs {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				a[i][j] += x[i] * x[j]
			}
			a[i][n] += x[i] * ys[k]
		}
	}
	for i := 1; i < n; i++ {
		a[i][i] += lambda
	}
	w, err := solve(a)
	if err != nil {
		return ridge{}, fmt.Errorf("fit: %w", err)
	}
	return ridge{w: w}, nil
}

// solve is Gauss-Jordan elimination with partial pivoting on an augmented
// n×(n+1) matrix.
func solve(a [][]float64) ([]float64, error) {
	n := len(a)
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		if math.Abs(a[p][col]) < 1e-12 {
			return nil, errors.New("singular system")
		}
		a[col], a[p] = a[p], a[col]
		for r := 0; r < n; r++ {
			if r == col {
				continue
			}
			f := a[r][col] / a[col][col]
			for c := col; c <= n; c++ {
				a[r][c] -= f * a[col][c]
			}
		}
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = a[i][n] / a[i][i]
	}
	return w, nil
}

// Model predicts opening-day tickets from features. Train builds it.
type Model struct {
	history       []Past
	interestPrior float64
	scheduled     ridge // with screens and showtimes
	unscheduled   ridge // for releases whose week is not scheduled yet
	scale         []float64
	K             int // comparables listed
}

// Train fits both models on the history. Every past release must have
// positive opening-day tickets and a scheduled release week.
func Train(history []Past) (*Model, error) {
	if len(history) < 8 {
		return nil, fmt.Errorf("train: %d past releases, need at least 8", len(history))
	}
	m := &Model{history: slices.Clone(history), K: 3}
	var sum float64
	var n int
	for _, p := range history {
		if p.OpeningDayTickets <= 0 || !p.Scheduled() {
			return nil, fmt.Errorf("train: %s has no tickets or no schedule", p.ID)
		}
		if p.HasInterest {
			sum += float64(p.InterestIndex) / 100
			n++
		}
	}
	m.interestPrior = 0.5
	if n > 0 {
		m.interestPrior = sum / float64(n)
	}
	var err error
	if m.scheduled, err = m.fit(true); err != nil {
		return nil, err
	}
	if m.unscheduled, err = m.fit(false); err != nil {
		return nil, err
	}
	// Distances for comparables use each column's spread, so a log count
	// does not outweigh a yes/no.
	cols := len(featureNames)
	m.scale = make([]float64, cols)
	for c := 1; c < cols; c++ {
		var mean, sq float64
		for _, p := range history {
			mean += vector(p.Features, true, m.interestPrior)[c]
		}
		mean /= float64(len(history))
		for _, p := range history {
			d := vector(p.Features, true, m.interestPrior)[c] - mean
			sq += d * d
		}
		m.scale[c] = math.Sqrt(sq / float64(len(history)))
		if m.scale[c] == 0 {
			m.scale[c] = 1
		}
	}
	return m, nil
}

func (m *Model) fit(scheduled bool) (ridge, error) {
	xs := make([][]float64, 0, len(m.history))
	ys := make([]float64, 0, len(m.history))
	for _, p := range m.history {
		xs = append(xs, vector(p.Features, scheduled, m.interestPrior))
		ys = append(ys, math.Log10(float64(p.OpeningDayTickets)))
	}
	return fitRidge(xs, ys, Lambda)
}

// Tickets predicts national opening-day tickets, with the scheduled model
// when the release week has sessions and the other one when it has not.
func (m *Model) Tickets(f Features) float64 {
	r := m.unscheduled
	if f.Scheduled() {
		r = m.scheduled
	}
	return math.Pow(10, r.predict(vector(f, f.Scheduled(), m.interestPrior)))
}

// Comparables are the K past releases nearest to f, nearest first. The
// schedule columns count only when f is scheduled.
func (m *Model) Comparables(f Features, exclude string) []Comparable {
	x := vector(f, true, m.interestPrior)
	cols := len(featureNames)
	if !f.Scheduled() {
		cols -= scheduleColumns
	}
	type near struct {
		p Past
		d float64
	}
	var all []near
	for _, p := range m.history {
		if p.ID == exclude {
			continue
		}
		y := vector(p.Features, true, m.interestPrior)
		var d float64
		for c := 1; c < cols; c++ {
			v := (x[c] - y[c]) / m.scale[c]
			d += v * v
		}
		all = append(all, near{p, d})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	out := make([]Comparable, 0, m.K)
	for _, n := range all[:min(m.K, len(all))] {
		out = append(out, Comparable{ID: n.p.ID, Title: n.p.Title, OpeningDayTickets: n.p.OpeningDayTickets})
	}
	return out
}

// Presale velocity rules (hypothesis, ADR 0400): the chain has no presale
// history to train on yet, so a fast presale can only raise the class.
const (
	VelocityHigh        = 200  // chain tickets per hour since the presale opened (at most the last 24 h)
	VelocityBlockbuster = 1000 // idem
)

// Classify is the class, score, predicted tickets, comparables and pt-BR
// reasons for a release with features f.
func (m *Model) Classify(f Features) (Class, float64, float64, []Comparable, []string) {
	tickets := m.Tickets(f)
	class := ClassOf(tickets)
	score := Score(tickets)
	var reasons []string
	switch {
	case f.Franchise && f.Sequel:
		reasons = append(reasons, "Franquia com sequência direta.")
	case f.Franchise:
		reasons = append(reasons, "Filme de franquia.")
	}
	if f.HasInterest {
		reasons = append(reasons, fmt.Sprintf("Índice de interesse %d de 100.", f.InterestIndex))
	} else {
		reasons = append(reasons, "Sem índice de interesse: usada a média histórica.")
	}
	if f.Scheduled() {
		reasons = append(reasons, fmt.Sprintf("%d salas e %d sessões na semana de estreia.", f.Screens, f.Showtimes))
	} else {
		reasons = append(reasons, "Semana de estreia ainda sem sessões: modelo sem programação.")
	}
	switch {
	case f.PresaleTicketsPerHour >= VelocityBlockbuster && class != Blockbuster:
		class, score = Blockbuster, max(score, Score(BlockbusterTickets))
		reasons = append(reasons, fmt.Sprintf("Pré-venda rápida: %.0f ingressos/h na rede.", f.PresaleTicketsPerHour))
	case f.PresaleTicketsPerHour >= VelocityHigh && class == Normal:
		class, score = High, max(score, Score(HighTickets))
		reasons = append(reasons, fmt.Sprintf("Pré-venda acima do normal: %.0f ingressos/h na rede.", f.PresaleTicketsPerHour))
	}
	reasons = append(reasons, fmt.Sprintf("Estimativa de %s ingressos no Brasil no dia de estreia.", thousands(tickets)))
	return class, score, tickets, m.Comparables(f, ""), reasons
}

// thousands writes n rounded to thousands with Brazilian separators: "1.640 mil".
func thousands(n float64) string {
	k := int(math.Round(n / 1000))
	s := fmt.Sprint(k)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s + " mil"
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
