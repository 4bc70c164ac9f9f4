package psp

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"bilhetagem/internal/money"
)

// BRCode is a Pix charge as the Banco Central's BR Code: an EMV® QRCPS
// payload of ID-length-value fields closed by a CRC16 (Manual de Padrões
// para Iniciação do Pix).
type BRCode struct {
	Key          string // the receiver's Pix key (chave)
	MerchantName string // up to 25 characters, no accents
	City         string // up to 15 characters, no accents
	Amount       money.BRL
	TxID         string // up to 25 letters and digits
}

// Payload is the "copia e cola" text.
func (c BRCode) Payload() string {
	var b strings.Builder
	field := func(id, v string) { fmt.Fprintf(&b, "%s%02d%s", id, len(v), v) }
	sub := func(fields ...[2]string) string {
		var s strings.Builder
		for _, f := range fields {
			fmt.Fprintf(&s, "%s%02d%s", f[0], len(f[1]), f[1])
		}
		return s.String()
	}
	field("00", "01") // payload format indicator
	field("01", "12") // point of initiation: 12, a single-use charge
	field("26", sub([2]string{"00", "br.gov.bcb.pix"}, [2]string{"01", c.Key}))
	field("52", "0000") // merchant category code
	field("53", "986")  // BRL
	field("54", fmt.Sprintf("%d.%02d", c.Amount/100, c.Amount%100))
	field("58", "BR")
	field("59", clip(ascii(c.MerchantName), 25))
	field("60", clip(ascii(c.City), 15))
	field("62", sub([2]string{"05", tail(alnum(c.TxID), 25)}))
	b.WriteString("6304")
	return b.String() + fmt.Sprintf("%04X", CRC16(b.String()))
}

// CRC16 is the BR Code's checksum: CRC-16/CCITT-FALSE (polynomial 0x1021,
// initial value 0xFFFF) over the payload up to and including "6304".
func CRC16(s string) uint16 {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// QRCodePNG draws a payload as a 256-pixel PNG QR code with medium error
// correction.
func QRCodePNG(payload string) ([]byte, error) {
	return qrcode.Encode(payload, qrcode.Medium, 256)
}

// ascii drops accents and anything a BR Code field may not carry.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "***"
	}
	return b.String()
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
