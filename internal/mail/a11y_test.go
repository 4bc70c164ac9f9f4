package mail_test

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryEmailIsAccessible checks each e-mail's HTML for what a screen
// reader, a reader with low vision and a client that shows no images need,
// and that its plain-text part says everything the HTML one says.
func TestEveryEmailIsAccessible(t *testing.T) {
	for name, render := range rendered() {
		t.Run(name, func(t *testing.T) {
			m, err := render()
			require.NoError(t, err)
			assertAccessible(t, m.Subject, m.HTML)
			assertTextSaysAll(t, m.HTML, m.Text)
		})
	}
}

var (
	headRe    = regexp.MustCompile(`(?s)<head>.*?</head>`)
	titleRe   = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
	imgRe     = regexp.MustCompile(`<img\b[^>]*>`)
	altRe     = regexp.MustCompile(`\balt="([^"]*)"`)
	thRe      = regexp.MustCompile(`<th\b[^>]*>`)
	tableRe   = regexp.MustCompile(`(?s)<table\b([^>]*)>(.*?)</table>`)
	headingRe = regexp.MustCompile(`<h([1-6])\b`)
	fgRe      = regexp.MustCompile(`(?:^|[;"\s])color:\s*#([0-9a-fA-F]{6})`)
	bgRe      = regexp.MustCompile(`background-color:\s*#([0-9a-fA-F]{6})`)
)

func assertAccessible(t *testing.T, subject, page string) {
	t.Helper()
	assert.Contains(t, page, `<html lang="pt-BR"`)
	title := titleRe.FindStringSubmatch(page)
	if assert.NotNil(t, title, "a <title>") {
		assert.Equal(t, subject, html.UnescapeString(title[1]), "the title is the subject")
	}

	// Headings start at one h1 and never skip a level.
	levels := headingRe.FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, levels)
	assert.Equal(t, "1", levels[0][1], "the first heading is an h1")
	assert.Equal(t, 1, strings.Count(page, "<h1"), "one h1")
	prev := 1
	for _, l := range levels[1:] {
		n, _ := strconv.Atoi(l[1])
		assert.LessOrEqual(t, n, prev+1, "no heading level is skipped")
		prev = n
	}

	for _, img := range imgRe.FindAllString(page, -1) {
		alt := altRe.FindStringSubmatch(img)
		if assert.NotNil(t, alt, "alt text on %s", img) {
			assert.NotEmpty(t, strings.TrimSpace(alt[1]), "alt text on %s", img)
		}
	}
	for _, th := range thRe.FindAllString(page, -1) {
		assert.Regexp(t, `\bscope="(row|col)"`, th)
	}
	// A table is either a layout table, marked as one, or a data table with
	// a caption and header cells.
	for _, table := range tableRe.FindAllStringSubmatch(page, -1) {
		if strings.Contains(table[1], `role="presentation"`) {
			assert.NotContains(t, table[2], "<th", "a layout table has no header cells")
			continue
		}
		assert.Contains(t, table[2], "<caption", "a data table has a caption")
		assert.Contains(t, table[2], "<th ", "a data table has header cells")
	}

	// Every text colour reads on every background with at least WCAG AA's
	// 4.5:1 contrast.
	var fgs, bgs []string
	for _, m := range fgRe.FindAllStringSubmatch(page, -1) {
		fgs = append(fgs, m[1])
	}
	for _, m := range bgRe.FindAllStringSubmatch(page, -1) {
		bgs = append(bgs, m[1])
	}
	require.NotEmpty(t, fgs)
	require.NotEmpty(t, bgs)
	for _, fg := range fgs {
		for _, bg := range bgs {
			assert.GreaterOrEqual(t, contrast(fg, bg), 4.5, "text #%s on #%s", fg, bg)
		}
	}
}

// assertTextSaysAll checks that every word a reader sees in the HTML is in
// the plain text too.
func assertTextSaysAll(t *testing.T, page, text string) {
	t.Helper()
	have := map[string]bool{}
	for _, w := range words(text) {
		have[w] = true
	}
	var missing []string
	for _, w := range words(visibleText(page)) {
		if !have[w] {
			missing = append(missing, w)
		}
	}
	assert.Empty(t, missing, "words of the HTML part missing from the text part")
}

// visibleText is what the body of a page shows, without its markup.
func visibleText(page string) string {
	return html.UnescapeString(tagRe.ReplaceAllString(headRe.ReplaceAllString(page, ""), " "))
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// contrast is the WCAG 2 contrast ratio of two "rrggbb" colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var rgb [3]float64
	for i := range rgb {
		v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			panic(fmt.Sprintf("colour %q: %v", hex, err))
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

func TestContrast(t *testing.T) {
	assert.InDelta(t, 21, contrast("000000", "ffffff"), 0.01)
	assert.InDelta(t, 1, contrast("777777", "777777"), 0.01)
	assert.Less(t, contrast("999999", "ffffff"), 4.5)
}
