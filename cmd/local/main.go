// Command local runs the whole product on one port: DynamoDB Local with seed
// data, every operation's real handler behind an API Gateway v2 event
// adapter at /api, the development OIDC issuer at /auth, the API docs at
// /docs and the SPA at /.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"bilhetagem/internal/app"
	"bilhetagem/internal/auth"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/devoidc"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamolocal"
	"bilhetagem/internal/localserver"
	"bilhetagem/internal/spaconfig"
	"bilhetagem/openapi"
	"bilhetagem/seed"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	publicURL := flag.String("public-url", "", "the URL buyers use (default http://localhost:<port>); the OIDC issuer lives under it")
	dataDir := flag.String("data", ".data/dynamodb", "DynamoDB Local data folder (kept across restarts)")
	inMemory := flag.Bool("in-memory", false, "run DynamoDB Local in memory instead of -data")
	endpoint := flag.String("dynamodb-endpoint", "", "use this DynamoDB endpoint instead of starting DynamoDB Local")
	table := flag.String("table", "bilhetagem", "table name")
	doSeed := flag.Bool("seed", true, "fill missing seed data at start")
	webDir := flag.String("web", "frontend/dist/frontend/browser", "SPA build folder (a placeholder page is served while it is missing)")
	docsDir := flag.String("docs", "node_modules/swagger-ui-dist", "swagger-ui-dist folder for /docs")
	audience := flag.String("audience", "bilhetagem-local", "OIDC client id (token audience)")
	issuerURL := flag.String("issuer", "", "OIDC issuer to trust (default: the development issuer at <public-url>/auth)")
	flow := flag.String("flow", spaconfig.FlowIDToken, "the SPA's sign-in flow in /config.json: id_token (as with Google) or code (PKCE)")
	devStaff := flag.String("dev-staff", "carla", "comma-separated usernames the development issuer signs in as staff (any other name signs in as a buyer); empty for none")
	mailMode := flag.String("mail", "mailpit", "where buyer e-mails go: mailpit (started here, its inbox linked at start), smtp://host:port, or off")
	clock := flag.String("clock", "", "tests only: start the server's clock at this RFC 3339 instant (e.g. 2026-12-08T23:50:00-03:00) and run on from there; make run never sets it")
	flag.Parse()

	log := app.NewLogger(slog.LevelInfo)
	if err := run(log, options{*addr, *publicURL, *dataDir, *inMemory, *endpoint, *table, *doSeed, *webDir, *docsDir, *audience, *issuerURL, *flow, *clock, *mailMode, devoidc.SplitUsernames(*devStaff), os.Getenv}); err != nil {
		log.Error("local server stopped", "error", err.Error())
		os.Exit(1)
	}
}

type options struct {
	addr, publicURL, dataDir string
	inMemory                 bool
	endpoint, table          string
	seed                     bool
	webDir, docsDir          string
	audience, issuer         string
	flow                     string
	clock                    string   // TEST_CLOCK's value; empty keeps the real clock
	mail                     string   // mailpit, smtp://host:port or off
	devStaff                 []string // the development issuer's staff usernames
	getenv                   func(string) string
}

func run(log *slog.Logger, o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if o.publicURL == "" {
		o.publicURL = fmt.Sprintf("http://localhost:%d", port)
	}

	if o.endpoint == "" {
		opt := dynamolocal.Options{}
		if !o.inMemory {
			opt.DataDir = o.dataDir
		}
		db, err := dynamolocal.Start(ctx, opt)
		if err != nil {
			return err
		}
		defer db.Stop()
		o.endpoint = db.Endpoint
		log.Info("dynamodb local started", "endpoint", db.Endpoint, "data", opt.DataDir)
	}

	keysDir := o.dataDir
	if o.inMemory {
		keysDir = ""
	}
	keys, err := localKeys(keysDir, o.getenv)
	if err != nil {
		return err
	}
	cfg, err := app.ConfigFrom(func(k string) string {
		if v, ok := keys[k]; ok {
			return v
		}
		switch k {
		case "TABLE_NAME":
			return o.table
		case "DYNAMODB_ENDPOINT":
			return o.endpoint
		case app.TestClockEnv:
			if o.clock != "" {
				return o.clock
			}
		}
		return o.getenv(k)
	})
	if err != nil {
		return err
	}
	now := cfg.Clock()
	if !cfg.TestClockStart.IsZero() {
		log.Warn("test clock: the server's clock starts at "+cfg.TestClockStart.Format(time.RFC3339)+" and runs on from there", "now", now())
	}
	a, err := app.New(ctx, cfg, log, now)
	if err != nil {
		return err
	}
	// Creating the table and seeding it are start-up, not a buyer's
	// request: against a DynamoDB Local just started on a busy machine each
	// call may wait longer than the handlers' store allows a request.
	boot, err := dynamo.Open(ctx, dynamo.Config{Table: cfg.Table, Endpoint: cfg.Endpoint, Timeout: time.Minute, MaxAttempts: 5})
	if err != nil {
		return err
	}
	if err := boot.CreateTable(ctx); err != nil {
		return err
	}
	if o.seed {
		log.Info("seeding the catalog of " + catalog.DateOf(now()).String() + " and the days after it")
		began := time.Now()
		n, err := seed.Apply(ctx, boot, catalog.DateOf(now()))
		if err != nil {
			return err
		}
		log.Info("seed applied", "created", n, "seconds", int(time.Since(began).Seconds()))
	}

	issuer, err := devoidc.New(devoidc.Config{Issuer: o.publicURL + "/auth", Audience: o.audience, Staff: o.devStaff, Now: now})
	if err != nil {
		return err
	}
	trusted := o.issuer
	if trusted == "" {
		trusted = o.publicURL + "/auth"
	}
	// The server fetches its own JWKS over loopback, so the verifier takes
	// the same path as against any remote issuer.
	// Tokens of the development issuer are minted and checked by the
	// server's clock (-clock moves both); another issuer's by the real one.
	verifyNow := time.Now
	if trusted == o.publicURL+"/auth" {
		verifyNow = now
	}
	verifier, err := auth.NewVerifier(ctx, auth.Config{Issuer: trusted, Audience: o.audience,
		JWKSURL: jwksURL(trusted, o.publicURL, port), Now: verifyNow})
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	payments := &spaconfig.Payments{Provider: cfg.Purchase.Provider}
	if payments.Provider == app.ProviderStripe {
		payments.PublishableKey = o.getenv("STRIPE_PUBLISHABLE_KEY")
	}
	if a.PSP != nil {
		// Nothing pays a local Pix: the SPA offers to, through the simulator.
		payments.SimulatorPixPay = simulatorPixPayPath
		mux.Handle("POST "+simulatorPixPayPath, payPix(a.PSP))
	}
	spa, err := spaConfig(trusted, o.audience, o.publicURL+"/auth", o.flow, payments)
	if err != nil {
		return err
	}
	mux.Handle("GET /config.json", spa)
	mux.Handle("/", localserver.New(localserver.Config{
		Handlers: a.Handlers, Verifier: verifier, Issuer: issuer.Handler(), Spec: openapi.YAML,
		DocsDir: o.docsDir, WebDir: o.webDir, Log: log, Now: now,
	}))
	inbox, stopMail, err := startMail(ctx, log, o, boot, now)
	if err != nil {
		return err
	}
	defer stopMail()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("bilhetagem is up", "url", o.publicURL, "api", o.publicURL+"/api", "docs", o.publicURL+"/docs", "issuer", trusted,
		"mail", inbox)
	fmt.Fprint(os.Stderr, readyBanner(o.publicURL, inbox))
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// jwksURL is where the verifier fetches keys: the development issuer's JWKS
// through loopback when it is ours, discovery otherwise.
func jwksURL(issuer, publicURL string, port int) string {
	if issuer == publicURL+"/auth" {
		return fmt.Sprintf("http://127.0.0.1:%d/auth/jwks.json", port)
	}
	return ""
}

// spaConfig serves the SPA's runtime config: the OIDC issuer, client id and
// sign-in flow, and the payment provider. For the development issuer it
// names the endpoints; for any other issuer (-issuer) the SPA reads them
// from its discovery document.
func spaConfig(issuer, clientID, devIssuer, flow string, payments *spaconfig.Payments) (http.Handler, error) {
	auth := spaconfig.Auth{Issuer: issuer, ClientID: clientID, Flow: flow}
	if issuer == devIssuer {
		auth.AuthorizationEndpoint = "/auth/authorize"
		if flow == spaconfig.FlowCode {
			auth.TokenEndpoint = "/auth/token"
		}
	}
	body, err := spaconfig.Config{Auth: auth, Payments: payments}.JSON()
	if err != nil {
		return nil, fmt.Errorf("-flow/-issuer, PSP_PROVIDER/STRIPE_PUBLISHABLE_KEY: %w", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	}), nil
}

// readyBanner is what a developer reads when the run is ready: where each
// part is, in plain text after the JSON log lines.
func readyBanner(publicURL, inbox string) string {
	mail := inbox
	if inbox == "off" {
		mail = "desligados (-mail off)"
	}
	return fmt.Sprintf("\nbilhetagem pronto:\n  SPA       %s/\n  API       %s/api\n  API docs  %s/docs\n  E-mails   %s\n  (Ctrl-C para parar)\n\n",
		publicURL, publicURL, publicURL, mail)
}
