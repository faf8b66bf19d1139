# A thin wrapper so the README's commands stay short. The build itself is CMake's.
BUILD ?= build
DATA ?= var
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)

.PHONY: all build run test unit api e2e bench sanitize format clean

all: build

build:
	@sh scripts/deps.sh
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Build, create ./var with the demo data on first run, and serve http://127.0.0.1:8080.
run: build
	@test -f $(DATA)/qiao.db || $(BUILD)/qiaod seed-demo --data-dir $(DATA)
	@$(BUILD)/qiaod serve --data-dir $(DATA) --listen $(LISTEN) --demo-banner

# Every suite: unit (C), API (a real qiaod on loopback), browser (headless Chromium).
test:
	@sh scripts/deps.sh test
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@cd $(BUILD) && ctest --output-on-failure -j 2

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	@sh scripts/deps.sh test
	@cmake -S . -B build-asan -DQIAO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2

bench:
	@sh scripts/deps.sh bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@sh tests/bench/run.sh build-bench

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-bench
