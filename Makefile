# Tollgate — the two commands: `make run` and `make test`.
# Both install whatever is missing (scripts/install-deps), then build.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DATA       ?= data
LISTEN     ?= 127.0.0.1:8080
TOLLGATE   := $(BUILD)/tollgate

.PHONY: all deps build run test test-unit test-asan checksrc bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTG_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# First run: create ./data (database, master key, first tenant and a Global
# Administrator whose one-time password is printed once), then serve.
run: build
	@if [ ! -f $(DATA)/tollgate.db ]; then $(TOLLGATE) --data $(DATA) init; fi
	exec $(TOLLGATE) --data $(DATA) serve --listen $(LISTEN)

checksrc:
	@scripts/checksrc

# Every test on the normal build, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
test: build checksrc
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON -DTG_WERROR=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -L unit -j $(JOBS)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	bench/run-all $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
