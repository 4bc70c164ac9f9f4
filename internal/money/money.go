// Package money holds amounts of Brazilian reais as integer centavos.
package money

import (
	"fmt"
	"strings"
)

// Currency is the only currency the chain sells in.
const Currency = "BRL"

// BRL is an amount in centavos of Brazilian reais. It is never a float.
type BRL int64

// String formats the amount as a buyer reads it in pt-BR: "R$ 24,90".
func (m BRL) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v
	}
	reais := fmt.Sprintf("%d", v/100)
	var b strings.Builder
	for i, r := range reais {
		if i > 0 && (len(reais)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%sR$ %s,%02d", sign, b.String(), v%100)
}
