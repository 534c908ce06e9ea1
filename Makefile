# Parley: the two commands of the README, plus the pieces they are made of.
JOBS ?= $(shell nproc)
CONFIG ?= config/local.json

.PHONY: deps build test run watch bench format clean package

deps:
	@scripts/install-deps.sh build

# Release build; the executable is build/bin/skill.
build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target skill
	@ln -sfn release/bin build/bin

# Debug build with ASan + UBSan, the Lambda package (its tests run the zip), then every test.
test:
	@scripts/install-deps.sh test
	@tests/aws/node/install.sh
	@tests/hosting/browser/install.sh
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)
	@$(MAKE) --no-print-directory package
	ctest --preset debug -j $(JOBS)

$(CONFIG):
	cp config/local.json.example $(CONFIG)

run: build $(CONFIG)
	build/bin/skill serve --config $(CONFIG)

format:
	find include src app tests bench tools -name '*.[ch]pp' | xargs clang-format -i

clean:
	rm -rf build dist

watch: build $(CONFIG)
	CONFIG=$(CONFIG) tools/watch.sh

# dist/skill-lambda.zip for AWS Lambda (provided.al2023): the fully static `skill` as bootstrap.
package: deps
	cmake --preset static >/dev/null
	cmake --build --preset static -j $(JOBS) --target skill
	tools/package/package.sh

# Benchmarks (release): Google Benchmarks, then the HTTP load test against nginx.
bench: deps
	@scripts/install-deps.sh bench
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	for b in build/release/bin/*_bench; do $$b --benchmark_min_time=0.5; done
	bench/http/run.py
	bench/http/token_rate.py
