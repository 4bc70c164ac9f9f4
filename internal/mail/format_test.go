package mail_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"bilhetagem/internal/mail"
)

func TestTimesAreToldInSaoPaulo(t *testing.T) {
	for _, c := range []struct {
		at          time.Time
		long, short string
	}{
		// 00:30 UTC on Sunday is still Saturday evening in São Paulo.
		{time.Date(2026, 12, 13, 0, 30, 0, 0, time.UTC), "sábado, 12 de dezembro, 21:30", "sáb., 12/12 21:30"},
		{time.Date(2026, 12, 13, 23, 0, 0, 0, time.UTC), "domingo, 13 de dezembro, 20:00", "dom., 13/12 20:00"},
		{time.Date(2026, 3, 2, 17, 5, 0, 0, time.UTC), "segunda-feira, 2 de março, 14:05", "seg., 02/03 14:05"},
		{time.Date(2026, 6, 9, 3, 0, 0, 0, time.UTC), "terça-feira, 9 de junho, 00:00", "ter., 09/06 00:00"},
		{time.Date(2026, 9, 30, 22, 15, 0, 0, time.UTC), "quarta-feira, 30 de setembro, 19:15", "qua., 30/09 19:15"},
		{time.Date(2026, 1, 1, 2, 59, 0, 0, time.UTC), "quarta-feira, 31 de dezembro, 23:59", "qua., 31/12 23:59"},
		{time.Date(2026, 2, 5, 16, 0, 0, 0, time.UTC), "quinta-feira, 5 de fevereiro, 13:00", "qui., 05/02 13:00"},
		{time.Date(2026, 4, 10, 21, 0, 0, 0, time.UTC), "sexta-feira, 10 de abril, 18:00", "sex., 10/04 18:00"},
		// The zone an instant comes in does not matter.
		{time.Date(2026, 12, 13, 9, 30, 0, 0, time.FixedZone("JST", 9*3600)), "sábado, 12 de dezembro, 21:30", "sáb., 12/12 21:30"},
	} {
		assert.Equal(t, c.long, mail.LongTime(c.at), c.at)
		assert.Equal(t, c.short, mail.ShortTime(c.at), c.at)
	}
}

func TestEveryMonthHasItsPortugueseName(t *testing.T) {
	names := []string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"}
	for i, name := range names {
		at := time.Date(2026, time.Month(i+1), 15, 15, 0, 0, 0, time.UTC)
		assert.Contains(t, mail.LongTime(at), "15 de "+name+", 12:00")
	}
}

func TestBRL(t *testing.T) {
	assert.Equal(t, "R$ 0,05", mail.BRL(5))
	assert.Equal(t, "R$ 42,00", mail.BRL(4200))
	assert.Equal(t, "R$ 1.234,56", mail.BRL(123456))
	assert.Equal(t, "R$ 1.000.000,00", mail.BRL(100000000))
}
