# Lobby — the two commands that matter: `make run` and `make test`.
GO ?= go
PKGS ?= ./...
export CGO_ENABLED = 1

.PHONY: run build test test-deps bench vet fmt

## run: start Lobby on :8080 with the embedded defaults (data in ./data)
run: build
	./lobby

## build: a binary at ./lobby
build:
	$(GO) build -trimpath -ldflags "-s -w -X github.com/lobby/lobby/app.Version=$$(git describe --tags --always 2>/dev/null || echo dev)" -o lobby .

## test: every test, with the race detector, installing what they need (Debian's chromium for browser tests) when missing
test: test-deps
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

test-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests…"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
				|| echo "Could not install chromium; the browser tests will fail and say so."; \
		else \
			echo "chromium is missing and cannot be installed here (need root and apt-get); the browser tests will fail and say so."; \
		fi; \
	fi

## bench: run every benchmark on this machine and print the table for docs/BENCHMARKS.md
bench:
	$(GO) run ./bench

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')
