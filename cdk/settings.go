package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"bilhetagem/internal/spaconfig"
)

// GoogleIssuer is the OIDC issuer of Google sign-in, the identity provider of
// every deployed environment.
const GoogleIssuer = "https://accounts.google.com"

// Settings are what differs between environments. main reads them from the
// cdk.json context (see settingsFromContext); tests build them directly.
type Settings struct {
	// Env is "dev" or "prod". Outside dev, stateful resources are retained and
	// the table is protected from deletion.
	Env string `json:"-"`
	// Region the stack is pinned to (sa-east-1 for São Paulo).
	Region string `json:"region"`
	// Issuer and Audience configure the JWT authorizer: the OIDC issuer URL
	// and the accepted token audiences (the Google OAuth client id).
	Issuer   string   `json:"issuer"`
	Audience []string `json:"audience"`
	// CorsOrigins may call the API from another origin (a developer's
	// localhost against the dev stack). The SPA itself shares the API's
	// origin through CloudFront and needs no CORS; empty turns CORS off.
	CorsOrigins []string `json:"corsOrigins"`
	// ThrottleRate (requests/s) and ThrottleBurst bound the HTTP API's
	// default stage, under the account's 10,000 rps.
	ThrottleRate  float64 `json:"throttleRate"`
	ThrottleBurst float64 `json:"throttleBurst"`
	// SalesCloseAfterMinutes and LogLevel reach every function's environment
	// (SALES_CLOSE_AFTER_MINUTES, LOG_LEVEL; see internal/app).
	SalesCloseAfterMinutes int    `json:"salesCloseAfterMinutes"`
	LogLevel               string `json:"logLevel"`
	// LogRetentionDays for the functions' and the API's log groups.
	LogRetentionDays int `json:"logRetentionDays"`
	// AlarmEmail, when set, subscribes to the alarm topic.
	AlarmEmail string `json:"alarmEmail"`
	// StaffEmails are the verified Google accounts that get the staff role
	// (STAFF_EMAILS, docs/adr/0500): Google ID tokens carry no groups.
	StaffEmails []string `json:"staffEmails"`
	// LatencyP99Millis is the API p99 latency alarm threshold.
	LatencyP99Millis float64 `json:"latencyP99Millis"`
	// Payments is the payment provider: "stripe", or "simulator" for a
	// stack without a provider account (it moves no money, so never prod).
	// It reaches every function as PSP_PROVIDER.
	Payments string `json:"payments"`
	// StripePublishableKey (pk_…) is what the SPA's Payment Element loads
	// with when Payments is "stripe". It is public by design; give it in
	// cdk.json or with -c bilhetagem:stripePublishableKey=pk_….
	StripePublishableKey string `json:"stripePublishableKey"`
	// MailFrom is the sender of the buyers' notices (MAIL_FROM of the
	// notice mailer, cdk/noticemail.go): a bare address, no display name.
	MailFrom string `json:"mailFrom"`
	// MailIdentity is what SES verifies for MailFrom: its domain (or a
	// parent domain of it), verified by DKIM CNAMEs in its DNS, or the
	// address itself, verified by a link SES mails to it.
	MailIdentity string `json:"mailIdentity"`
}

// The payment providers a stack can run (docs/adr/0700).
const (
	PaymentsSimulator = "simulator"
	PaymentsStripe    = "stripe"
)

// SPAConfig is the SPA's /config.json for this environment: it signs in with
// the JWT authorizer's issuer as its first audience, by the ID-token flow
// (docs/adr/0310): Google redeems no code without the client secret.
func (s Settings) SPAConfig() spaconfig.Config {
	c := spaconfig.Config{Auth: spaconfig.Auth{Issuer: s.Issuer, Flow: spaconfig.FlowIDToken},
		Payments: &spaconfig.Payments{Provider: s.Payments}}
	if s.Payments == PaymentsStripe {
		c.Payments.PublishableKey = s.StripePublishableKey
	}
	if len(s.Audience) > 0 {
		c.Auth.ClientID = s.Audience[0]
	}
	return c
}

// MailIdentityIsDomain reports whether MailIdentity is a domain (verified
// by DKIM) rather than an address (verified by a link sent to it).
func (s Settings) MailIdentityIsDomain() bool { return !strings.Contains(s.MailIdentity, "@") }

// Retain reports whether stateful resources outlive the stack.
func (s Settings) Retain() bool { return s.Env != "dev" }

// Validate fails fast on a setting the stack cannot be built from.
func (s Settings) Validate() error {
	var problems []string
	if s.Env != "dev" && s.Env != "prod" {
		problems = append(problems, fmt.Sprintf("env must be dev or prod, got %q", s.Env))
	}
	if s.Region == "" {
		problems = append(problems, "region is required")
	}
	if !strings.HasPrefix(s.Issuer, "https://") {
		problems = append(problems, fmt.Sprintf("issuer must be an https URL, got %q", s.Issuer))
	}
	if len(s.Audience) == 0 || slicesHasEmpty(s.Audience) {
		problems = append(problems, "audience (the Google OAuth client id) is required: -c bilhetagem:googleClientId=<id>.apps.googleusercontent.com")
	}
	if s.ThrottleRate <= 0 || s.ThrottleBurst <= 0 {
		problems = append(problems, "throttleRate and throttleBurst must be positive")
	}
	if s.SalesCloseAfterMinutes < 0 || s.SalesCloseAfterMinutes > 240 {
		problems = append(problems, "salesCloseAfterMinutes must be 0..240")
	}
	if s.LogRetentionDays <= 0 {
		problems = append(problems, "logRetentionDays must be positive")
	}
	if s.LatencyP99Millis <= 0 {
		problems = append(problems, "latencyP99Millis must be positive")
	}
	switch {
	case s.Payments != PaymentsSimulator && s.Payments != PaymentsStripe:
		problems = append(problems, fmt.Sprintf("payments must be %q or %q, got %q", PaymentsStripe, PaymentsSimulator, s.Payments))
	case s.Payments == PaymentsStripe && !strings.HasPrefix(s.StripePublishableKey, "pk_"):
		problems = append(problems, "payments is \"stripe\": the SPA needs the account's publishable key: -c "+ctxStripeKey+"=pk_… (docs/deploy.md)")
	case s.Env == "prod" && s.Payments == PaymentsSimulator:
		problems = append(problems, "payments is \"simulator\" in prod: the simulator takes no money and gives none back; "+
			"set \"payments\": \"stripe\" and put the Stripe keys in the StripeKeys secret (docs/deploy.md)")
	}
	problems = append(problems, s.mailProblems()...)
	if len(problems) > 0 {
		return fmt.Errorf("settings for %q: %s", s.Env, strings.Join(problems, "; "))
	}
	return nil
}

// mailProblems checks mailFrom and mailIdentity: a bare address, and the
// SES identity that covers it (the address, its domain or a parent domain).
func (s Settings) mailProblems() []string {
	if s.MailFrom == "" {
		return []string{"mailFrom (the notices' sender, e.g. ingressos@<domain>) is required (docs/deploy.md, E-mail)"}
	}
	a, err := mail.ParseAddress(s.MailFrom)
	if err != nil || a.Name != "" || a.Address != s.MailFrom || !validDomain(s.MailFrom[strings.LastIndex(s.MailFrom, "@")+1:]) {
		return []string{fmt.Sprintf("mailFrom must be a bare e-mail address such as ingressos@bilhetagem.example, got %q", s.MailFrom)}
	}
	domain := strings.ToLower(s.MailFrom[strings.LastIndex(s.MailFrom, "@")+1:])
	id := strings.ToLower(s.MailIdentity)
	switch {
	case id == "":
		return []string{"mailIdentity (the domain, or the address, SES verifies for mailFrom) is required (docs/deploy.md, E-mail)"}
	case strings.Contains(id, "@"):
		if id != strings.ToLower(s.MailFrom) {
			return []string{fmt.Sprintf("mailIdentity %q is an address other than mailFrom %q: SES would not let the notices be sent from it", s.MailIdentity, s.MailFrom)}
		}
	case !validDomain(id):
		return []string{fmt.Sprintf("mailIdentity must be a domain or mailFrom's address, got %q", s.MailIdentity)}
	case domain != id && !strings.HasSuffix(domain, "."+id):
		return []string{fmt.Sprintf("mailIdentity %q does not cover mailFrom %q: give mailFrom's domain or a parent domain of it", s.MailIdentity, s.MailFrom)}
	}
	return nil
}

// validDomain is a DNS name of at least two labels of letters, digits and
// inner hyphens.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func slicesHasEmpty(v []string) bool {
	for _, s := range v {
		if strings.TrimSpace(s) == "" {
			return true
		}
	}
	return false
}

// Context keys read from cdk.json or `-c key=value`.
const (
	ctxEnv          = "bilhetagem:env"          // dev | prod
	ctxEnvironments = "bilhetagem:environments" // {"dev": Settings, "prod": Settings}
	ctxClientID     = "bilhetagem:googleClientId"
	ctxAlarmEmail   = "bilhetagem:alarmEmail"
	ctxStaffEmails  = "bilhetagem:staffEmails" // comma separated
	ctxStripeKey    = "bilhetagem:stripePublishableKey"
)

// settingsFromContext picks the environment named by bilhetagem:env out of
// bilhetagem:environments, then applies the single-value overrides
// (googleClientId, alarmEmail) given with -c. tryGet is node.TryGetContext.
func settingsFromContext(tryGet func(key string) any) (Settings, error) {
	env, _ := tryGet(ctxEnv).(string)
	if env == "" {
		return Settings{}, errors.New("context " + ctxEnv + " is not set (cdk.json sets dev; -c " + ctxEnv + "=prod for production)")
	}
	all := tryGet(ctxEnvironments)
	if all == nil {
		return Settings{}, errors.New("context " + ctxEnvironments + " is missing from cdk.json")
	}
	raw, err := json.Marshal(all)
	if err != nil {
		return Settings{}, fmt.Errorf("context %s: %w", ctxEnvironments, err)
	}
	var byEnv map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byEnv); err != nil {
		return Settings{}, fmt.Errorf("context %s: %w", ctxEnvironments, err)
	}
	one, ok := byEnv[env]
	if !ok {
		return Settings{}, fmt.Errorf("context %s has no %q environment", ctxEnvironments, env)
	}
	var s Settings
	dec := json.NewDecoder(strings.NewReader(string(one)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Settings{}, fmt.Errorf("context %s.%s: %w", ctxEnvironments, env, err)
	}
	s.Env = env
	if id, _ := tryGet(ctxClientID).(string); id != "" {
		s.Audience = []string{id}
	}
	if key, _ := tryGet(ctxStripeKey).(string); key != "" {
		s.StripePublishableKey = key
	}
	if email, _ := tryGet(ctxAlarmEmail).(string); email != "" {
		s.AlarmEmail = email
	}
	if staff, _ := tryGet(ctxStaffEmails).(string); staff != "" {
		s.StaffEmails = nil
		for _, e := range strings.Split(staff, ",") {
			if e = strings.TrimSpace(e); e != "" {
				s.StaffEmails = append(s.StaffEmails, e)
			}
		}
	}
	return s, s.Validate()
}
