# Parley: the two commands of the README, plus the pieces they are made of.
JOBS ?= $(shell nproc)
CONFIG ?= config/local.json

.PHONY: deps build debug test run watch bench format clean

deps:
	@scripts/install-deps.sh build

# Release build; the executable is build/bin/skill.
build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	@ln -sfn release/bin build/bin

# Debug build with ASan + UBSan, then every test.
test:
	@scripts/install-deps.sh test
	@tests/aws/node/install.sh
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)
	ctest --preset debug -j $(JOBS)

$(CONFIG):
	cp config/local.json.example $(CONFIG)

run: build $(CONFIG)
	build/bin/skill invoke --config $(CONFIG) tests/fixtures/alexa/launch-unlinked.json

format:
	find include src app tests bench tools -name '*.[ch]pp' | xargs clang-format -i

clean:
	rm -rf build dist
