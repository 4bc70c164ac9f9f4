package mail

import (
	"fmt"
	"time"
	_ "time/tzdata" // the zone is found on machines without a zoneinfo database

	"bilhetagem/internal/money"
)

// Zone is where every date in an e-mail is told: the chain sells in São
// Paulo.
var Zone = mustZone("America/Sao_Paulo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	weekdays      = [7]string{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"}
	weekdaysShort = [7]string{"dom.", "seg.", "ter.", "qua.", "qui.", "sex.", "sáb."}
	months        = [12]string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"}
)

// LongTime tells an instant as a buyer reads it in the body of an e-mail,
// in São Paulo: "sábado, 12 de dezembro, 21:30".
func LongTime(t time.Time) string {
	t = t.In(Zone)
	return fmt.Sprintf("%s, %d de %s, %02d:%02d", weekdays[t.Weekday()], t.Day(), months[t.Month()-1], t.Hour(), t.Minute())
}

// ShortTime tells an instant in few characters, for a subject, in São
// Paulo: "sáb., 12/12 21:30".
func ShortTime(t time.Time) string {
	t = t.In(Zone)
	return fmt.Sprintf("%s, %02d/%02d %02d:%02d", weekdaysShort[t.Weekday()], t.Day(), int(t.Month()), t.Hour(), t.Minute())
}

// BRL formats centavos as a buyer reads them: "R$ 1.234,56".
func BRL(centavos int64) string { return money.BRL(centavos).String() }
