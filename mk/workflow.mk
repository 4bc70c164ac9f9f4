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

# The step worker and the order sweeper Lambdas are built with the operations'
# functions, into their own folder: bin/functions holds exactly one bootstrap
# per API operation.
WORKERS := purchase-step order-sweeper

build: build-workers

.PHONY: build-workers
build-workers: ## build the purchase workflow's step worker and order sweeper (cmd/<name>) into bin/workers/<name>/bootstrap
	@for w in $(WORKERS); do \
	  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w" \
	    -o $(BIN)/workers/$$w/bootstrap ./cmd/$$w || exit 1; \
	done
	@echo "built $(words $(WORKERS)) workflow worker(s) into $(BIN)/workers"
