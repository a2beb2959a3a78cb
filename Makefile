# axio_nb — every entry point creates what it needs. `make lab` runs the main job; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?=
PORT ?= 8888
STAMP := $(VENV)/.installed
# Jupyter refuses to run as root without this (containers, CI and these machines run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test venv system-deps widgets widgets-check lint test-unit test-kernel test-browser test-notebooks test-js bench bench-media bench-realtime clean notebooks screenshots binder-link

$(STAMP): pyproject.toml
	@py=$$(PYTHON="$(PYTHON)" .ci/find-python.sh) || exit 1; \
	  test -x $(BIN)/python || "$$py" -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	@touch $@

venv: $(STAMP)

## The main job: JupyterLab on notebooks/ with the offline demo transport (no API key needed).
lab: $(STAMP)
	AXIO_NB_TRANSPORT=$${AXIO_NB_TRANSPORT:-demo} $(BIN)/jupyter lab --notebook-dir=notebooks \
	  --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.open_browser=False $(ROOT_FLAG)

## Debian packages the browser and audio tests drive (Chromium, espeak-ng, sox). Installed only when missing.
system-deps:
	@missing=""; for c in chromium espeak-ng sox; do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing — run: sudo apt-get install$$missing" >&2; exit 1; fi; fi

widgets/node_modules/.package-lock.json: widgets/package-lock.json
	cd widgets && npm ci --no-audit --no-fund --loglevel=error

## Rebuild the committed front-end bundle in axio_nb/static/.
widgets: widgets/node_modules/.package-lock.json
	cd widgets && npm run --silent build

## CI: the committed bundle must match a fresh build.
widgets-check: widgets/node_modules/.package-lock.json
	cd widgets && npm run --silent check

test-js: widgets/node_modules/.package-lock.json
	cd widgets && npm test

lint: $(STAMP)
	$(BIN)/ruff check axio_nb tests bench
	$(BIN)/ruff format --check axio_nb tests bench
	$(BIN)/mypy

test-unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

test-kernel: $(STAMP)
	$(BIN)/pytest -q tests/kernel

test-browser: $(STAMP) system-deps widgets/node_modules/.package-lock.json
	$(BIN)/pytest -q tests/browser

## The notebooks run headless on the demo transport, with no provider key (07-real-providers then skips each cell).
NB_ENV := env -u OPENAI_API_KEY -u GEMINI_API_KEY -u ANTHROPIC_API_KEY AXIO_NB_DISPLAY=static AXIO_NB_TRANSPORT=demo
NBVAL := $(NB_ENV) $(BIN)/pytest -q -p no:cacheprovider --nbval \
	  --nbval-current-env --nbval-sanitize-with notebooks/nbval-sanitize.cfg notebooks

test-notebooks: $(STAMP)
	$(NBVAL)

## Every test: lint, the front-end bundle check and its tests, then Python unit, kernel, browser and notebook tests.
## The browser tests get their own process: Playwright's sync API keeps an event loop running on the main
## thread, where pytest-asyncio then cannot start one.
test: $(STAMP) system-deps widgets-check test-js lint
	$(BIN)/pytest -q tests --ignore=tests/browser
	$(BIN)/pytest -q tests/browser
	$(NBVAL)

## Re-execute the notebooks in static mode so their saved outputs are what nbval replays.
notebooks: $(STAMP)
	$(NB_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb

## The README's tour: the browser test that photographs it, light and dark, writes docs/screenshots/*.png.
screenshots: $(STAMP) system-deps
	AXIO_NB_SHOTS=docs/screenshots $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_tour.py

bench: $(STAMP) system-deps
	$(BIN)/python bench/fold.py
	$(BIN)/python bench/wire.py
	$(BIN)/python bench/browser.py
	$(BIN)/python bench/media.py
	$(BIN)/python bench/realtime.py

## Media turns and speech alone: wire and saved bytes per media byte, TTS first chunk → audible (BENCHMARKS.md).
bench-media: $(STAMP) system-deps
	$(BIN)/python bench/media.py

## Realtime voice alone: mic → session, first delta → audible, underruns, bytes each way, RSS over an hour.
bench-realtime: $(STAMP) system-deps
	$(BIN)/python bench/realtime.py

## The mybinder.org link to the quickstart for this clone's GitHub `origin` (the README's Binder badge needs it).
binder-link:
	@url=$$(git remote get-url origin 2>/dev/null); \
	path=$$(printf '%s\n' "$$url" | sed -nE 's#^(https://github\.com/|git@github\.com:|ssh://git@github\.com/)([^/]+/[^/]+)$$#\2#p'); \
	path=$${path%.git}; \
	if [ -z "$$path" ]; then \
	  echo "No GitHub remote named origin here ($${url:-none}): push this repository to GitHub, then run make binder-link again." >&2; \
	  exit 1; fi; \
	echo "https://mybinder.org/v2/gh/$$path/HEAD?urlpath=lab/tree/notebooks/01-quickstart.ipynb"

clean:
	rm -rf $(VENV) widgets/node_modules
