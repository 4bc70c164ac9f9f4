# --- the purchase workflow (internal/workflow/purchase.asl.json) ----------------
#
# make validate-asl   the definition, with a dummy ARN for each ${...}
#                     substitution the CDK fills, through asl-validator

ASL_FILES := internal/workflow/purchase.asl.json
ASL_DUMMY_ARN := arn:aws:lambda:sa-east-1:123456789012:function:purchase-step

TEST_TARGETS += validate-asl

.PHONY: validate-asl
validate-asl: node_modules/.install-stamp ## validate the Step Functions definition(s) with asl-validator
	@for f in $(ASL_FILES); do \
	  tmp=$$(mktemp --suffix=.asl.json); \
	  sed -E 's/\$$\{[A-Za-z0-9_]+\}/$(ASL_DUMMY_ARN)/g' "$$f" > "$$tmp"; \
	  if grep -q '\$${' "$$tmp"; then echo "validate-asl: $$f keeps an unfilled substitution"; rm -f "$$tmp"; exit 1; fi; \
	  npx --no-install asl-validator --json-path "$$tmp" || { echo "validate-asl: $$f is not valid ASL"; rm -f "$$tmp"; exit 1; }; \
	  rm -f "$$tmp"; \
	done

# The step worker, the order sweeper, the payment reconciliation and the
# notice mailer Lambdas are built with the operations' functions, into their
# own folder: bin/functions holds exactly one bootstrap per API operation.
WORKERS := purchase-step order-sweeper reconcile notice-mailer

build: build-workers

.PHONY: build-workers
build-workers: ## build the step worker, order sweeper, reconciliation and notice mailer (cmd/<name>) into bin/workers/<name>/bootstrap
	@for w in $(WORKERS); do \
	  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w" \
	    -o $(BIN)/workers/$$w/bootstrap ./cmd/$$w || exit 1; \
	done
	@echo "built $(words $(WORKERS)) workflow worker(s) into $(BIN)/workers"

# The randomized interleaving test of the purchase (issue 15) runs 20 seeds
# in `make test`; the soak runs SEEDS of them and prints how many distinct
# schedules it explored and its wall time. A failure prints its seed and
# schedule; replay it with
#   go test ./internal/workflow -run TestInterleavings -seed=N -v
SEEDS ?= 1000

.PHONY: soak
soak: ## run the purchase interleaving test on SEEDS seeds (default 1000); prints the distinct schedules and the wall time
	@out=$$(mktemp); start=$$(date +%s); status=0; \
	$(GO) test -count=1 -timeout 2h -run '^TestInterleavings$$' -v ./internal/workflow -seeds=$(SEEDS) > "$$out" 2>&1 || status=$$?; \
	grep -v -E '^\s*(=== |--- PASS)' "$$out" | grep -E -v '^\s+[0-9]+ \+|^\s+fault:' | tail -n 60; \
	if [ $$status -ne 0 ]; then grep -v -- '--- PASS' "$$out" | grep -E -A400 -- '--- FAIL' | head -n 400; fi; \
	echo "soak: wall time $$(( $$(date +%s) - start ))s"; rm -f "$$out"; exit $$status

# The payment reconciliation (issue 16, docs/adr/0701) once against the
# local table, the same code the daily Lambda runs: the summary on stdout, a
# log line per mismatch on stderr. It opens make run's data in .data/ with
# its own DynamoDB Local; while make run is up, give the endpoint it logged:
#   DYNAMODB_ENDPOINT=http://127.0.0.1:PORT make reconcile
.PHONY: reconcile
reconcile: ## reconcile the payment provider's money with the local orders and print the summary (DYNAMODB_ENDPOINT=… while make run is up)
	$(GO) run ./cmd/reconcile -local
