# The two commands a new user needs: `make demo` and `make test`.
# Each installs the Debian packages it lacks first.
JOBS   ?= $(shell nproc)
BUILD  ?= build
ASAN   ?= build-asan

.PHONY: all deps build demo demo-references test test-release test-asan bench clean golden fuzz fuzz-ci

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

# The embedded Kafka, a synthetic producer with drift ~15 s in, and the
# daemon on config/demo.yaml: alerts print as they fire. DEMO_SECONDS=0 runs
# until Ctrl-C.
DEMO_SECONDS ?= 40
demo: build
	./$(BUILD)/driftd demo --seconds $(DEMO_SECONDS)

# Rewrites config/demo-*-reference.csv (committed) from the demo's own
# generator: the same bytes every time.
demo-references: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target driftd_demo_references
	./$(BUILD)/driftd_demo_references config

# Everything on an optimised build, then again under AddressSanitizer and
# UndefinedBehaviorSanitizer — all but the minutes-long crash loops, the
# live Prometheus run, whose code paths the integration tests already cover,
# and the calibration measurements (millions of events through replay, whose
# code the unit and cli tests cover under the sanitizers).
test: test-release test-asan fuzz-ci

test-release:
	@scripts/install-deps.sh test
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan:
	@scripts/install-deps.sh test
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDRIFTD_SANITIZE=ON -DDRIFTD_NATIVE=OFF
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS) -LE 'reliability|deploy|calibration'

# Regenerates the golden fixtures from SciPy/NumPy, scikit-learn and Frouros
# (needs Python; ctest does not). Frouros is not a Debian package: the
# concept-drift fixtures are regenerated only when its source tree is at
# FROUROS_SRC (tests/golden/gen_error_stream_spc.py says how to get it).
FROUROS_SRC ?= /tmp/frouros-src
golden:
	@scripts/install-deps.sh golden
	for gen in tests/golden/gen_*.py; do \
	  if grep -q FROUROS_SRC $$gen && [ ! -d "$(FROUROS_SRC)/frouros" ]; then \
	    echo "$$gen: skipped, no Frouros source at FROUROS_SRC=$(FROUROS_SRC)"; continue; fi; \
	  FROUROS_SRC=$(FROUROS_SRC) /usr/bin/python3 $$gen || exit 1; done

# libFuzzer (clang, ASan+UBSan) on every tests/fuzz/fuzz_*.cc target (the
# decoders, the configuration loader, the HTTP answers, the engine, state
# snapshots, score's HTML report): FUZZ_SECONDS per target; FUZZ_TARGETS picks some.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?=
fuzz:
	@scripts/install-deps.sh test
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The bounded run `make test` ends with: every fuzz target FUZZ_CI_SECONDS,
# two at a time (~100 s with the build on 2 cores).
FUZZ_CI_SECONDS ?= 30
fuzz-ci:
	@scripts/install-deps.sh test
	scripts/fuzz.sh $(FUZZ_CI_SECONDS)

bench:
	@scripts/install-deps.sh bench
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target driftd driftd_benchmarks
	bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz
