# The buyer's SPA (frontend/): Angular 21, its generated API client, unit
# tests (Vitest + jsdom) and end-to-end tests in headless Chromium against
# the real local server.

FRONTEND         := frontend
FRONTEND_STAMP   := $(FRONTEND)/node_modules/.install-stamp
FRONTEND_DIST    := $(FRONTEND)/dist/frontend/browser
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
                    $(FRONTEND)/angular.json $(FRONTEND)/tsconfig.json $(FRONTEND)/tsconfig.app.json
CHROMIUM         ?= /usr/bin/chromium

RUN_PREREQS  += frontend-build
TEST_TARGETS += test-frontend test-e2e

$(FRONTEND_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && $(NPM) ci --no-audit --no-fund
	@touch $@

.PHONY: frontend-deps
frontend-deps: $(FRONTEND_STAMP) ## install the SPA's npm packages from its lockfile

$(FRONTEND_DIST)/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	cd $(FRONTEND) && npx --no-install ng build
	@touch $@

.PHONY: frontend-build
frontend-build: $(FRONTEND_DIST)/index.html ## build the SPA into frontend/dist (served by the local server at /) when stale

.PHONY: frontend-generate
frontend-generate: $(FRONTEND_STAMP) ## regenerate the SPA's API client from openapi/openapi.yaml
	cd $(FRONTEND) && $(NPM) run --silent generate

.PHONY: test-frontend
test-frontend: $(FRONTEND_STAMP) ## SPA unit tests (Vitest + jsdom), API client staleness and colour contrast checks
	cd $(FRONTEND) && $(NPM) run --silent check:api
	cd $(FRONTEND) && $(NPM) run --silent check:contrast > /dev/null
	cd $(FRONTEND) && npx --no-install ng test --watch=false

.PHONY: chromium
chromium:
	@command -v $(CHROMIUM) >/dev/null || command -v chromium >/dev/null || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core)

.PHONY: test-e2e
test-e2e: chromium frontend-build build-local node_modules/.install-stamp ## browser tests: headless Chromium drives the SPA on a fresh local server, axe-core on every screen
	cd $(FRONTEND) && CHROMIUM_PATH=$$(command -v $(CHROMIUM) || command -v chromium) $(NPM) run --silent e2e

# Lighthouse (mobile, default simulated throttling) on the production SPA
# served by a fresh local server on loopback, beside an empty static page
# served by the same server, and the gzipped initial JS. A measurement, not a
# check: in BENCH_TARGETS, never in TEST_TARGETS. Reports (JSON and HTML) go
# to frontend/bench/reports/ (git-ignored); figures: docs/benchmarks.md.
BENCH_TARGETS += bench-spa

.PHONY: bench-spa
bench-spa: chromium frontend-build build-local ## Lighthouse scores of the SPA (home, movie, seat map) and its gzipped initial JS (LIGHTHOUSE_RUNS=3)
	cd $(FRONTEND) && CHROMIUM_PATH=$$(command -v $(CHROMIUM) || command -v chromium) node bench/lighthouse.mjs
