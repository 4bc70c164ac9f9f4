package releases

import (
	"math"
	"time"

	"bilhetagem/internal/catalog"
)

// The chain's share of a national opening day and the shape of its peak,
// from docs/study.md §5.4 (ADR 0203). All derived or hypotheses.
const (
	SaoPauloShare  = 0.335       // SP state share of attendance ◐
	ChainShare     = 29.0 / 1100 // the chain's 29 screens of ~1,100 in the state ◐ (share of screens = share of audience: hypothesis)
	TicketsPerHold = 2.2         // hypothesis, measured as seats per hold
	// A presale opening sells the opening day in its first 10 minutes, the
	// first minute 5× the mean, with 3 attempts per successful hold.
	PresaleBurstSeconds = 600
	FirstMinuteBurst    = 5
	AttemptsPerHold     = 3
	// Without a presale spike the busiest hour of the opening day takes 15%
	// of it (hypothesis).
	BusiestHourShare = 0.15
)

// ChainTickets is the chain's part of a national opening day.
func ChainTickets(national float64) float64 { return national * SaoPauloShare * ChainShare }

// ExpectedPeak is when and how hard the busiest minute hits the chain: at the
// presale opening for HIGH and BLOCKBUSTER releases with a known presale
// date, else at 19:00 of the release day.
func ExpectedPeak(class Class, tickets float64, release catalog.Date, presaleOpensAt time.Time) Peak {
	holds := ChainTickets(tickets) / TicketsPerHold
	if class.AtLeast(High) && !presaleOpensAt.IsZero() {
		perSecond := holds / PresaleBurstSeconds * FirstMinuteBurst
		return Peak{At: presaleOpensAt, BuyersPerMinute: int(math.Round(perSecond * 60)),
			HoldAttemptsPerSecond: round1(perSecond * AttemptsPerHold)}
	}
	perSecond := holds * BusiestHourShare / 3600
	return Peak{At: release.At(19, 0), BuyersPerMinute: int(math.Round(perSecond * 60)),
		HoldAttemptsPerSecond: round1(perSecond * AttemptsPerHold)}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
