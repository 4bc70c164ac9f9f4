package mailpit

import (
	"net/smtp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message sent to the SMTP port comes back through the API, and each
// Mailpit starts empty.
func TestStartReceivesOverSMTP(t *testing.T) {
	s := Start(t)
	assert.True(t, strings.HasPrefix(s.SMTPAddr, "127.0.0.1:"))
	assert.True(t, strings.HasPrefix(s.APIURL, "http://127.0.0.1:"))
	assert.Empty(t, s.Messages(t))

	raw := "From: a@example.com\r\nTo: b@example.com\r\nSubject: oi\r\nX-Test: 1\r\n\r\nola\r\n"
	require.NoError(t, smtp.SendMail(s.SMTPAddr, nil, "a@example.com", []string{"b@example.com"}, []byte(raw)))

	list := s.Messages(t)
	require.Len(t, list, 1)
	assert.Equal(t, "oi", list[0].Subject)
	m := s.Message(t, list[0].ID)
	assert.Equal(t, "oi", m.Subject)
	assert.Equal(t, "a@example.com", m.From.Address)
	require.Len(t, m.To, 1)
	assert.Equal(t, "b@example.com", m.To[0].Address)
	assert.Equal(t, "ola", strings.TrimSpace(m.Text))
	assert.Equal(t, []string{"1"}, m.Headers["X-Test"])
	assert.Contains(t, string(s.Raw(t, m.ID)), "X-Test: 1")

	other := Start(t)
	assert.NotEqual(t, s.SMTPAddr, other.SMTPAddr)
	assert.Empty(t, other.Messages(t))
}
