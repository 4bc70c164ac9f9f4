package catalog

import (
	"fmt"
	"time"
)

// Date is a calendar day in São Paulo, without a time.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the São Paulo day of an instant.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Zone).Date()
	return Date{y, m, d}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Zone)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// String writes YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Start is midnight of the day in São Paulo.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Zone) }

// AddDays moves the date by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Start().AddDate(0, 0, n).Add(12 * time.Hour)) }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Start().After(o.Start()) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Start().Before(o.Start()) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// At is the instant of a São Paulo wall-clock time on that day.
func (d Date) At(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, Zone)
}
