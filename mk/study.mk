# The cinema study (docs/study.md): the offline evaluation of the concessions
# ranking on synthetic orders. `make bench` runs it too (wired by the lead).

.PHONY: evalrank
evalrank: ## offline evaluation of the concessions ranking: hit-rate@3 and revenue per order on synthetic orders
	$(GO) run ./cmd/evalrank
