package mail_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/mail"
)

// TestSESSendsTheRawMessageInTheConfigurationSet runs the real SES v2
// client against a loopback endpoint that records what AWS would receive:
// the raw MIME message, the sender, the one recipient and the
// configuration set whose events report bounces and complaints.
func TestSESSendsTheRawMessageInTheConfigurationSet(t *testing.T) {
	var mu sync.Mutex
	var path string
	var body map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		path = r.URL.Path
		_ = json.Unmarshal(b, &body)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"MessageId":"0100019-test"}`))
	}))
	t.Cleanup(srv.Close)
	client := sesv2.New(sesv2.Options{Region: "sa-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	at := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)
	s := mail.SES{Client: client, From: "Bilhetagem <ingressos@bilhetagem.example>", ConfigurationSet: "bilhetagem-mail",
		Now: func() time.Time { return at }}
	m := mail.Message{To: "Ana Souza <ana@exemplo.com.br>", Subject: "Seus ingressos", Text: "olá", HTML: "<p>olá</p>",
		Key: "ORDER_CONFIRMED.ord-1"}
	require.NoError(t, s.Send(context.Background(), m))

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, "/v2/email/outbound-emails", path)
	assert.Equal(t, "ingressos@bilhetagem.example", body["FromEmailAddress"])
	assert.Equal(t, "bilhetagem-mail", body["ConfigurationSetName"])
	assert.Equal(t, []any{"ana@exemplo.com.br"}, body["Destination"].(map[string]any)["ToAddresses"])
	assert.Equal(t, []any{map[string]any{"Name": "kind", "Value": "ORDER_CONFIRMED"}}, body["EmailTags"])
	raw, err := base64.StdEncoding.DecodeString(body["Content"].(map[string]any)["Raw"].(map[string]any)["Data"].(string))
	require.NoError(t, err)
	want, err := mail.Build(m, s.From, at)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(raw), "the raw message is Build's bytes")
	assert.True(t, strings.Contains(string(raw), mail.NoticeHeader+": ORDER_CONFIRMED.ord-1"))
}

func TestSESRefusesAnUnparsableRecipientWithoutCallingAWS(t *testing.T) {
	s := mail.SES{Client: nil, From: "ingressos@bilhetagem.example"}
	err := s.Send(context.Background(), mail.Message{To: "não é endereço", Subject: "x", Text: "x", HTML: "x", Key: "k"})
	assert.Error(t, err)
}
