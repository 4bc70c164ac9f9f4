# Premiere load test (issue 9, item 4). Bounded and loopback only: it starts
# DynamoDB Local in memory and the local server in-process on 127.0.0.1, sends
# LOAD_BUYERS virtual buyers at one premiere showtime with the waiting room
# off, then at another with premiere mode on, and stops by itself (each run
# at most LOAD_MAX). A measurement, not a check: not in TEST_TARGETS. It
# fails only when a seat is oversold. Figures: docs/benchmarks.md.

LOAD_BUYERS  ?= 2000
LOAD_ARRIVAL ?= 3s
LOAD_MAX     ?= 60s
LOAD_ADMIT   ?= 0

.PHONY: load-premiere
load-premiere: node_modules/.install-stamp ## premiere load test, with and without the waiting room (LOAD_BUYERS=2000 LOAD_MAX=60s LOAD_ADMIT=<per min, 0 = from run a>)
	$(GO) run ./cmd/loadpremiere -buyers $(LOAD_BUYERS) -arrival $(LOAD_ARRIVAL) -max $(LOAD_MAX) -admit-per-min $(LOAD_ADMIT)
