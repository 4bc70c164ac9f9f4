package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runViewerRequest runs the distribution's viewer-request function, as
// synthesized, in Node for each uri and returns what it answered: the
// generated response, or the request sent on to the bucket.
func runViewerRequest(t *testing.T, code string, uris ...string) []map[string]any {
	t.Helper()
	dir := t.TempDir()
	fn := filepath.Join(dir, "function.js")
	require.NoError(t, os.WriteFile(fn, []byte(code), 0o644))
	harness := `
const fs = require('fs');
const handler = new Function(fs.readFileSync(process.argv[1], 'utf8') + '\nreturn handler;')();
const uris = JSON.parse(process.argv[2]);
console.log(JSON.stringify(uris.map((uri) => handler({ version: '1.0', context: { eventType: 'viewer-request' },
  viewer: { ip: '127.0.0.1' }, request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} } }))));`
	in, err := json.Marshal(uris)
	require.NoError(t, err)
	out, err := exec.Command("node", "-e", harness, fn, string(in)).CombinedOutput()
	require.NoError(t, err, "%s", out)
	var answers []map[string]any
	require.NoError(t, json.Unmarshal(out, &answers), "%s", out)
	require.Len(t, answers, len(uris))
	return answers
}

func TestTheEdgeServesTheSPAConfigOfTheJWTAuthorizer(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			fns := s.resources("AWS::CloudFront::Function")
			require.Len(t, fns, 1)
			var code string
			for _, f := range fns {
				p := props(f)
				assert.Equal(t, "cloudfront-js-2.0", p["FunctionConfig"].(map[string]any)["Runtime"])
				code = p["FunctionCode"].(string)
			}
			authorizers := s.resources("AWS::ApiGatewayV2::Authorizer")
			require.Len(t, authorizers, 1)
			var jwt map[string]any
			for _, a := range authorizers {
				jwt = props(a)["JwtConfiguration"].(map[string]any)
			}

			answers := runViewerRequest(t, code, "/config.json", "/sessoes/st-1/assentos", "/", "/main-3XK2.js", "/media/poster.webp",
				"/assets/config.json", "/config.json/x")

			cfg := answers[0]
			assert.EqualValues(t, 200, cfg["statusCode"])
			headers := cfg["headers"].(map[string]any)
			assert.Equal(t, "application/json", headers["content-type"].(map[string]any)["value"])
			assert.Equal(t, "no-cache", headers["cache-control"].(map[string]any)["value"])
			body := cfg["body"].(map[string]any)
			assert.Equal(t, "text", body["encoding"])
			var doc struct {
				Auth map[string]string `json:"auth"`
			}
			require.NoError(t, json.Unmarshal([]byte(body["data"].(string)), &doc))
			assert.Equal(t, map[string]string{
				"issuer":   GoogleIssuer,
				"clientId": "test-client.apps.googleusercontent.com",
				"flow":     "id_token",
			}, doc.Auth, "Google by the ID-token flow: no endpoint to redeem a code, no secret")
			assert.Equal(t, jwt["Issuer"], doc.Auth["issuer"], "the SPA signs in where the API's authorizer trusts")
			assert.Equal(t, []any{doc.Auth["clientId"]}, jwt["Audience"], "the SPA's client id is the authorizer's audience")
			assert.NotContains(t, body["data"], "secret")

			// Everything else goes on to the bucket as before.
			uri := func(i int) any { return answers[i]["uri"] }
			assert.Equal(t, "/index.html", uri(1), "an SPA route gets index.html")
			assert.Equal(t, "/index.html", uri(2))
			assert.Equal(t, "/main-3XK2.js", uri(3))
			assert.Equal(t, "/media/poster.webp", uri(4))
			assert.Equal(t, "/assets/config.json", uri(5), "only the config at the root is answered")
			assert.Equal(t, "/index.html", uri(6))
			for i := 1; i < len(answers); i++ {
				assert.NotContains(t, answers[i], "statusCode", "a request, not a response")
			}
		})
	}
}

func TestSPAConfigFollowsTheClientIDGivenAtDeploy(t *testing.T) {
	ctx := map[string]any{
		ctxEnv:          "prod",
		ctxEnvironments: map[string]any{"prod": map[string]any{"region": "sa-east-1", "issuer": GoogleIssuer, "audience": []string{}, "throttleRate": 1, "throttleBurst": 1, "logRetentionDays": 1, "latencyP99Millis": 1, "payments": "stripe", "stripePublishableKey": "pk_live_abc", "mailFrom": "ingressos@bilhetagem.example", "mailIdentity": "bilhetagem.example"}},
		ctxClientID:     "123-abc.apps.googleusercontent.com",
	}
	s, err := settingsFromContext(func(k string) any { return ctx[k] })
	require.NoError(t, err)
	body, err := s.SPAConfig().JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"auth":{"issuer":"https://accounts.google.com","clientId":"123-abc.apps.googleusercontent.com","flow":"id_token"},
		"payments":{"provider":"stripe","publishableKey":"pk_live_abc"}}`, string(body))
	assert.Equal(t, []string{"123-abc.apps.googleusercontent.com"}, s.Audience, "the same id the authorizer accepts")

	s.Audience = nil
	_, err = s.SPAConfig().JSON()
	assert.Error(t, err, "no client id, no config: the stack would not synthesize")
}

// TestStripeIsInTheCSPOnlyWhereStripeTakesTheCard: the SPA's CSP lets
// Stripe.js, its API and its frames in where the environment pays through
// Stripe, and keeps them out where the simulator takes the card.
func TestStripeIsInTheCSPOnlyWhereStripeTakesTheCard(t *testing.T) {
	csp := func(env string) []string {
		s := synth(t, env)
		var out []string
		for _, p := range s.resources("AWS::CloudFront::ResponseHeadersPolicy") {
			c := props(p)["ResponseHeadersPolicyConfig"].(map[string]any)
			out = append(out, c["SecurityHeadersConfig"].(map[string]any)["ContentSecurityPolicy"].(map[string]any)["ContentSecurityPolicy"].(string))
		}
		require.NotEmpty(t, out)
		return out
	}
	for _, policy := range csp("dev") {
		assert.NotContains(t, policy, "stripe.com", "dev pays through the simulator")
	}
	for _, policy := range csp("prod") {
		assert.Contains(t, policy, "script-src 'self' https://accounts.google.com/gsi/client https://js.stripe.com;")
		assert.Contains(t, policy, "connect-src 'self' https://accounts.google.com https://api.stripe.com;")
		assert.Contains(t, policy, "https://js.stripe.com https://hooks.stripe.com;", "the Payment Element's and 3-D Secure's frames")
		assert.NotContains(t, policy, "*", "no wildcard origin")
	}
}
