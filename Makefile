# A thin wrapper so the README's commands stay short. The build itself is CMake's.
BUILD ?= build
DATA ?= var
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)

.PHONY: all build run test unit api e2e bench sanitize leakcheck format clean

all: build

build:
	@sh scripts/deps.sh
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

# Build, create ./var with the demo data on first run, and serve http://127.0.0.1:8080.
run: build
	@test -f $(DATA)/qiao.db || $(BUILD)/qiaod seed-demo --data-dir $(DATA)
	@$(BUILD)/qiaod serve --data-dir $(DATA) --listen $(LISTEN) --demo-banner

# Every suite: unit (C), API (a real qiaod on loopback), browser (headless Chromium).
test:
	@sh scripts/deps.sh test
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory
	@cd $(BUILD) && ctest --output-on-failure -j 2

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	@sh scripts/deps.sh test
	@cmake -S . -B build-asan -DQIAO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-asan -j $(JOBS) -- --no-print-directory
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2

# The API tests against a qiaod running under valgrind: any leak or memory error fails.
LEAK_TESTS ?= tests/api/auth.test.mjs tests/api/errors.test.mjs tests/api/cases-filing.test.mjs \
	tests/api/documents.test.mjs tests/api/audit.test.mjs tests/api/mediators.test.mjs \
	tests/api/shortlist.test.mjs tests/api/notifications.test.mjs tests/api/calendars.test.mjs
leakcheck: build
	@rm -rf /tmp/qiao-valgrind && mkdir -p /tmp/qiao-valgrind
	@QIAOD=$(CURDIR)/scripts/valgrind-qiaod.sh VALGRIND_LOGS=/tmp/qiao-valgrind QIAO_TEST_START_TIMEOUT=120000 \
		node --test --test-concurrency=1 $(LEAK_TESTS) >/tmp/qiao-valgrind/tests.log 2>&1; \
		tail -8 /tmp/qiao-valgrind/tests.log
	@if grep -lE "definitely lost: [1-9]|indirectly lost: [1-9]|ERROR SUMMARY: [1-9]" \
		/tmp/qiao-valgrind/qiaod.*.log; then echo "valgrind found problems (logs above)"; exit 1; \
		else echo "valgrind: no leaks, no memory errors in $$(ls /tmp/qiao-valgrind/qiaod.*.log | wc -l) qiaod runs"; fi

bench:
	@sh scripts/deps.sh bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS) -- --no-print-directory
	@sh tests/bench/run.sh build-bench

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-bench
