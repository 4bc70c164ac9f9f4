# The Postman collection as if it were any day (issue 14): seven consecutive
# days at 14:00 São Paulo time from today on, and 23:50 on that week's Monday,
# each against a fresh local server whose clock starts there (-clock, a
# test-only flag that make run never sets). CALENDAR_JOBS runs at a time.

CALENDAR_JOBS ?= 2

TEST_TARGETS += test-calendar

.PHONY: test-calendar
test-calendar: build-local node_modules/.install-stamp ## the Postman collection at seven consecutive days and at 23:50 São Paulo time (CALENDAR_JOBS=2)
	CALENDAR_JOBS=$(CALENDAR_JOBS) bash tests/calendar.sh $(BIN)/local
