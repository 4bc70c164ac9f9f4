# bilhetagem — every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO          ?= go
NPM         ?= npm
ADDR        ?= 127.0.0.1:8080
BIN         := bin
FUNCTIONS   := $(notdir $(wildcard functions/*))
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

# Each area (cdk, frontend, …) adds its own targets in mk/<area>.mk and hooks
# them into `make test` with TEST_TARGETS += …, into `make run` with
# RUN_PREREQS += … and into `make bench` with BENCH_TARGETS += ….
TEST_TARGETS  :=
RUN_PREREQS   :=
BENCH_TARGETS :=
include $(sort $(wildcard mk/*.mk))

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- set-up ------------------------------------------------------------------

node_modules/.install-stamp: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

.PHONY: deps
deps: node_modules/.install-stamp ## install Go modules and the npm tooling (DynamoDB Local, linters, newman)
	$(GO) mod download

# --- run ---------------------------------------------------------------------

.PHONY: run
run: deps $(RUN_PREREQS) ## start everything locally at http://localhost:8080 (API, SPA, docs) on DynamoDB Local with seed data
	$(GO) run ./cmd/local -addr $(ADDR)

.PHONY: seed
seed: ## seed a table: TABLE_NAME=... DYNAMODB_ENDPOINT=... make seed (make run seeds by itself)
	$(GO) run ./seed/cmd/seed -create-table

# --- checks ------------------------------------------------------------------

.PHONY: test
test: deps lint test-go test-api $(TEST_TARGETS) ## run every check
	@echo "make test: every check passed"

.PHONY: lint
lint: lint-go lint-spec ## static checks: gofmt, go vet, the contract lint

.PHONY: lint-go
lint-go:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '/gen/') ); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

.PHONY: lint-spec
lint-spec: node_modules/.install-stamp ## lint openapi/openapi.yaml with spectral
	npx --no-install spectral lint --fail-severity=warn openapi/openapi.yaml

.PHONY: test-go
test-go: ## Go tests: domain, store and handlers on DynamoDB Local, registry vs spec
	$(GO) test -count=1 ./...

.PHONY: test-api
test-api: build-local node_modules/.install-stamp ## run the Postman collection with newman against a fresh local server
	bash tests/newman.sh $(BIN)/local

.PHONY: build-local
build-local:
	$(GO) build -o $(BIN)/local ./cmd/local

# --- build and generate --------------------------------------------------------

.PHONY: build
build: ## build every Lambda (linux/arm64, provided.al2023) into bin/functions/<name>/bootstrap
	@for f in $(FUNCTIONS); do \
	  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w" \
	    -o $(BIN)/functions/$$f/bootstrap ./functions/$$f || exit 1; \
	done
	@echo "built $(words $(FUNCTIONS)) functions into $(BIN)/functions"

.PHONY: generate
generate: ## regenerate the Go types from openapi/openapi.yaml
	$(GO) generate ./openapi/

.PHONY: bench
bench: deps $(BENCH_TARGETS) ## benchmarks (speed and memory) with their baselines, recorded in docs/benchmarks.md
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...
	$(GO) run ./cmd/benchholds
	$(GO) run ./cmd/evalrank

.PHONY: clean
clean: ## remove build output (keeps .data/, the local database)
	rm -rf $(BIN) cdk.out
