package releases

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Method is one way to predict a past release's class, for the evaluation.
type Method struct {
	Name string
	// Predict gets the training releases (the held-out one removed) and
	// the held-out release's features.
	Predict func(train []Past, f Features) (Class, float64, error)
}

// Methods are the classifier and the baselines it must beat.
func Methods() []Method {
	return []Method{
		{"Regra: franquia+sequência → BLOCKBUSTER, franquia → HIGH", func(_ []Past, f Features) (Class, float64, error) {
			switch {
			case f.Franchise && f.Sequel:
				return Blockbuster, 0, nil
			case f.Franchise:
				return High, 0, nil
			}
			return Normal, 0, nil
		}},
		{"Vizinhos (k = 3, média geométrica)", func(train []Past, f Features) (Class, float64, error) {
			m, err := Train(train)
			if err != nil {
				return "", 0, err
			}
			var logs float64
			cs := m.Comparables(f, "")
			for _, c := range cs {
				logs += math.Log10(float64(c.OpeningDayTickets))
			}
			t := math.Pow(10, logs/float64(len(cs)))
			return ClassOf(t), t, nil
		}},
		{"Ridge sem programação (salas/sessões)", func(train []Past, f Features) (Class, float64, error) {
			m, err := Train(train)
			if err != nil {
				return "", 0, err
			}
			f.Screens, f.Showtimes = 0, 0
			t := m.Tickets(f)
			return ClassOf(t), t, nil
		}},
		{"Ridge completo (o classificador)", func(train []Past, f Features) (Class, float64, error) {
			m, err := Train(train)
			if err != nil {
				return "", 0, err
			}
			t := m.Tickets(f)
			return ClassOf(t), t, nil
		}},
	}
}

// Result is one method's leave-one-out figures.
type Result struct {
	Method   string
	N        int
	Accuracy float64
	// Recall and precision of BLOCKBUSTER: a missed blockbuster is the
	// expensive error (no scaling, no queue); a false one costs money.
	BlockbusterRecall    float64
	BlockbusterPrecision float64
	// MedianAbsError is the median of |predicted/actual − 1| of tickets;
	// NaN for methods that predict no number.
	MedianAbsError float64
	// Confusion[actual][predicted].
	Confusion map[Class]map[Class]int
}

// LeaveOneOut holds each past release out in turn, trains on the rest and
// predicts it.
func LeaveOneOut(history []Past, methods []Method) ([]Result, error) {
	var out []Result
	for _, m := range methods {
		r := Result{Method: m.Name, N: len(history), Confusion: map[Class]map[Class]int{}}
		var correct, tp, fp, fn int
		var errsRel []float64
		for i, held := range history {
			train := append(append([]Past{}, history[:i]...), history[i+1:]...)
			got, tickets, err := m.Predict(train, held.Features)
			if err != nil {
				return nil, fmt.Errorf("leave one out: %s: %w", m.Name, err)
			}
			want := ClassOf(float64(held.OpeningDayTickets))
			if r.Confusion[want] == nil {
				r.Confusion[want] = map[Class]int{}
			}
			r.Confusion[want][got]++
			if got == want {
				correct++
			}
			switch {
			case got == Blockbuster && want == Blockbuster:
				tp++
			case got == Blockbuster:
				fp++
			case want == Blockbuster:
				fn++
			}
			if tickets > 0 {
				errsRel = append(errsRel, math.Abs(tickets/float64(held.OpeningDayTickets)-1))
			}
		}
		r.Accuracy = float64(correct) / float64(len(history))
		r.BlockbusterRecall = ratio(tp, tp+fn)
		r.BlockbusterPrecision = ratio(tp, tp+fp)
		r.MedianAbsError = math.NaN()
		if len(errsRel) > 0 {
			sort.Float64s(errsRel)
			r.MedianAbsError = errsRel[len(errsRel)/2]
		}
		out = append(out, r)
	}
	return out, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Table writes the results as a Markdown table in pt-BR.
func Table(results []Result) string {
	var b strings.Builder
	b.WriteString("| método | n | acerto | recall BLOCKBUSTER | precisão BLOCKBUSTER | erro mediano (ingressos) |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	pct := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return strings.ReplaceAll(fmt.Sprintf("%.0f%%", v*100), ".", ",")
	}
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", r.Method, r.N, pct(r.Accuracy),
			pct(r.BlockbusterRecall), pct(r.BlockbusterPrecision), pct(r.MedianAbsError))
	}
	return b.String()
}

// ConfusionTable writes one result's confusion matrix as Markdown.
func ConfusionTable(r Result) string {
	classes := []Class{Blockbuster, High, Normal}
	var b strings.Builder
	b.WriteString("| real \\ previsto | BLOCKBUSTER | HIGH | NORMAL |\n|---|---:|---:|---:|\n")
	for _, want := range classes {
		fmt.Fprintf(&b, "| %s |", want)
		for _, got := range classes {
			fmt.Fprintf(&b, " %d |", r.Confusion[want][got])
		}
		b.WriteString("\n")
	}
	return b.String()
}
