package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReadyBannerNamesEveryPart(t *testing.T) {
	b := readyBanner("http://localhost:8080", "http://127.0.0.1:8025")
	for _, want := range []string{"http://localhost:8080/\n", "http://localhost:8080/api\n", "http://localhost:8080/docs\n", "http://127.0.0.1:8025\n"} {
		assert.Contains(t, b, want)
	}
	assert.Contains(t, readyBanner("http://localhost:8080", "off"), "desligados")
}
