# LightNVR: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
DOTNET ?= dotnet
OUT := build/lightnvr
CONFIGURATION ?= Release
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all deps test-deps build web server models run test test-dotnet test-web clean bench fuzz soak scale install uninstall \
	publish-self-contained test-packaging docker-image

all: build

deps:
	@scripts/install-deps.sh run

test-deps:
	@scripts/install-deps.sh test

## build: the runnable server at build/lightnvr/lightnvr with the web UI beside it (build/lightnvr/www).
build: deps server web models

server:
	$(DOTNET) publish src/LightNvr/LightNvr.csproj -c $(CONFIGURATION) -o $(OUT) --nologo -v quiet

web:
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi
	@rm -rf $(OUT)/www && mkdir -p $(OUT)/www && if [ -d web/dist ]; then cp -r web/dist/. $(OUT)/www/; fi

## models: the default object detector, converted to ONNX at build/models/centernet.onnx (+ .labels) and copied to
## data/models (docs/detection.md "Default model"). A failure to fetch or convert is reported and the build goes on.
models:
	@scripts/models/default-model.sh

## run: build, then start the server on http://127.0.0.1:8080 with data under ./data and the demo camera on.
## Set LIGHTNVR_DEMO_CAMERA=false to start without it; a ./lightnvr.ini, if present, is read first.
LIGHTNVR_DEMO_CAMERA ?= true
run: build
	LIGHTNVR_WEB_BIND_IP=127.0.0.1 LIGHTNVR_DEMO_CAMERA=$(LIGHTNVR_DEMO_CAMERA) $(OUT)/lightnvr

## install: lay out a built server as a system install (docs/operations.md): $(PREFIX)/lib/lightnvr, /etc/lightnvr/lightnvr.ini
## (kept if present), /var/lib/lightnvr, the systemd unit. `make build && sudo make install`; DESTDIR stages it
## elsewhere; OUT=build/lightnvr-linux-arm64 installs a self-contained publish instead.
PREFIX ?= /usr
DESTDIR ?=
install:
	OUT=$(abspath $(OUT)) PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) packaging/install.sh install

uninstall:
	PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) packaging/install.sh uninstall

## publish-self-contained: the server with its own .NET runtime (no runtime to install on the box) for RID
## (linux-x64, linux-arm64 for a 64-bit Raspberry Pi OS, linux-arm) at build/lightnvr-$(RID), web UI beside it.
RID ?= linux-x64
SC_OUT := build/lightnvr-$(RID)
publish-self-contained: deps
	$(DOTNET) publish src/LightNvr/LightNvr.csproj -c $(CONFIGURATION) -r $(RID) --self-contained true -o $(SC_OUT) --nologo -v quiet
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi
	@rm -rf $(SC_OUT)/www && mkdir -p $(SC_OUT)/www && if [ -d web/dist ]; then cp -r web/dist/. $(SC_OUT)/www/; fi
	@echo "self-contained server for $(RID): $(SC_OUT)/lightnvr ($$(du -sh $(SC_OUT) | cut -f1))"

## test-packaging: systemd-analyze verify of the unit, the restart endpoint round trip under a supervisor, and the
## Docker image when a Docker daemon answers (tests/packaging/run.sh). Part of `make test`.
test-packaging: server
	@tests/packaging/run.sh

## docker-image: the Debian + .NET runtime image (packaging/docker/Dockerfile) from the built server.
docker-image: build
	docker build -f packaging/docker/Dockerfile -t lightnvr:latest .

## test: every test suite (installs the real peers the tests use first).
test: test-deps build
	@scripts/run-tests.sh

## fuzz: every parser target under afl-fuzz for FUZZ_SECONDS each (default 600), then their crashes replayed as tests.
## `make test` runs a 5 s-per-target version of the same (docs/robustness.md "Fuzzing").
FUZZ_SECONDS ?= 600
fuzz: test-deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh long
	scripts/fuzz.sh replay

bench: build
	@bench/run.sh

## soak: 16 cameras, viewer churn, camera flaps, API load and retention sweeps for SOAK_MINUTES (default 30), then
## checks RSS/fds/sockets flat, no error lines, every segment decodes (bench/soak/run.sh, docs/robustness.md "Soak").
## Not part of `make test`.
SOAK_MINUTES ?= 30
soak: build
	@bench/soak/run.sh $(SOAK_MINUTES)

## scale: the recorder-node demonstrations (docs/scale.md): three server processes on one PostgreSQL, twelve GStreamer
## cameras, kill -9 one node, restart it; a node recording through a 60 s PostgreSQL stop (about 7 min). Not part of
## `make test` (their short versions are).
scale: build
	LIGHTNVR_SCALE_DEMO=1 dotnet test tests/LightNvr.Interop.Tests --filter "FullyQualifiedName~Cluster.FailoverTests|FullyQualifiedName~Cluster.DatabaseOutageTests" \
		--logger "console;verbosity=detailed"

clean:
	rm -rf build web/dist
	$(DOTNET) clean LightNvr.slnx -v quiet --nologo
