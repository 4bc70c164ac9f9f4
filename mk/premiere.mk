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
