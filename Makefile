# motcua — build, run and test on Debian 12 / Ubuntu.
#   make run    installs what it needs, seeds a demo data directory, starts the app
#   make test   installs what it needs, vets and runs every test
#   make bench  benchmarks (figures go to docs/PERFORMANCE.md)
#   make lint   go vet + staticcheck
#   make fuzz   runs every fuzz target briefly

SHELL      := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
TAGS       := migrated_fynedo
GO         ?= go
GOFLAGS_T  := -tags $(TAGS)
BIN        := bin/motcua
DEMO_DIR   ?= $(CURDIR)/.cache/demo
FUZZTIME   ?= 15s

# System packages: Fyne's GL/X11 headers for the cgo build; Xvfb and friends
# for the real-window test; poppler-utils (pdftotext) for the receipt check;
# socat for virtual serial ports; a C compiler for cgo (go-fitz, Fyne).
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
TEST_PKGS  := $(BUILD_PKGS) xvfb xauth libgl1-mesa-dri xdotool x11-apps x11-utils imagemagick \
              poppler-utils socat fonts-noto-core \
              sane-utils cups-client postgresql sqlite3
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build run test bench lint fuzz deps-build deps-test clean screenshots hub package package-test

all: build

# Install only the packages that are missing (dpkg -s is fast and offline).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "motcua: installing system packages:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi
	@command -v $(GO) >/dev/null || { echo "motcua: Go 1.26+ is required (https://go.dev/dl/)"; exit 1; }
endef

deps-build:
	$(call apt_install,$(BUILD_PKGS))

deps-test:
	$(call apt_install,$(TEST_PKGS))

build: deps-build
	$(GO) build $(GOFLAGS_T) -o $(BIN) .

run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "motcua: no display found (DISPLAY and WAYLAND_DISPLAY are empty)."; \
		echo "        Run 'make run' from a desktop session, or under Xvfb: xvfb-run -a make run"; \
		exit 1; \
	fi
	$(BIN) --data "$(DEMO_DIR)" demo --dossiers 300 --if-empty
	$(BIN) --data "$(DEMO_DIR)"

test: deps-test
	$(GO) vet $(GOFLAGS_T) ./...
	$(GO) test $(GOFLAGS_T) -count=1 -timeout 12m ./...

bench: deps-test
	$(GO) test $(GOFLAGS_T) -run '^$$' -bench . -benchmem -timeout 60m ./... | tee bench.out

lint: deps-build
	$(GO) vet $(GOFLAGS_T) ./...
	$(GO) tool staticcheck -tags $(TAGS) ./...

fuzz:
	@set -e; for pkg in $$($(GO) list $(GOFLAGS_T) ./...); do \
		for f in $$($(GO) test $(GOFLAGS_T) -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$f"; $(GO) test $(GOFLAGS_T) -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

screenshots: build deps-test
	bash docs/screenshots/take.sh $(BIN)
	bash docs/screenshots/technician/take.sh $(BIN)
	bash docs/screenshots/take-devices.sh $(BIN)

hub:
	CGO_ENABLED=0 $(GO) build -o bin/motcua-hub ./sync/cmd/motcua-hub

package:
	bash packaging/deps.sh && bash packaging/build.sh

package-test:
	bash packaging/deps.sh && bash packaging/test.sh

clean:
	rm -rf bin .cache bench.out
