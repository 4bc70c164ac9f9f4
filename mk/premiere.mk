# Premiere readiness (issue 9): the release classifier, the scaling planner and
# the waiting room. Their tests are plain `go test ./...` (test-go); nothing to
# hook into TEST_TARGETS.

PLAN_DAYS ?= 30
PLAN_DAY  ?=

.PHONY: plan-scaling
plan-scaling: ## print the scaling plan as a dry run from the seed catalog (PLAN_DAY=YYYY-MM-DD PLAN_DAYS=30); calls nothing
	$(GO) run ./cmd/planscaling -days $(PLAN_DAYS) $(if $(PLAN_DAY),-today $(PLAN_DAY))

.PHONY: eval-releases
eval-releases: ## leave-one-out evaluation of the release classifier on seed/data/release-history.csv
	$(GO) run ./cmd/planscaling -eval

# The scaling planner Lambda (cmd/planner), which an EventBridge rule runs in
# AWS, is built with the functions into the workers' folder; the CDK takes it
# from beside the step worker (cdk/scaling.go).
build: build-planner

.PHONY: build-planner
build-planner: ## build the scaling planner Lambda (cmd/planner) into bin/workers/planner/bootstrap
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w" \
	  -o $(BIN)/workers/planner/bootstrap ./cmd/planner
