# Fristsporing: `make run` and `make test` do all the set-up on a fresh Debian machine.
# Python 3.11 is expected; Node.js/npm (for the design system), Chromium (for the browser
# tests) and Dovecot (the intake tests' IMAP server) are installed from Debian's packages
# when missing (needs root or sudo).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMPS := .stamps
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint format messages translations assets venv chromium dovecot wheel clean bench faults load

run: venv assets translations instance/secret_key
	$(BIN)/tracker db upgrade
	$(BIN)/tracker demo --if-empty
	@# The scheduler runs beside the web server; Ctrl-C (or serve ending) stops both.
	@# Both learn the host and port: links in e-mails and the calendar feed point where the
	@# app is (unless TRACKER_BASE_URL is set).
	export TRACKER_HOST=$(HOST) TRACKER_PORT=$(PORT); \
	trap 'kill 0' EXIT; $(BIN)/tracker scheduler & $(BIN)/tracker serve --host $(HOST) --port $(PORT)

test: venv assets translations chromium dovecot
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

venv: $(STAMPS)/venv
$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c "import ensurepip" 2>/dev/null || \
		{ echo "Installing python3-venv from Debian"; $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv python3-dev; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# The design system and htmx come from the npm registry, pinned by package-lock.json,
# and are copied into the static folder (git-ignored) at build time.
assets: $(STAMPS)/assets
$(STAMPS)/assets: package.json package-lock.json
	@mkdir -p $(STAMPS)
	@command -v npm >/dev/null 2>&1 || \
		{ echo "Installing Node.js and npm from Debian"; $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf tracker/static/vendor
	mkdir -p tracker/static/vendor/dkfds tracker/static/vendor/htmx
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img tracker/static/vendor/dkfds/
	cp node_modules/htmx.org/dist/htmx.min.js tracker/static/vendor/htmx/
	@touch $@

translations: venv
	$(BIN)/pybabel compile --statistics -d tracker/translations

# After adding or changing a user-facing text: `make messages`, then translate the new entries.
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o tracker/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --ignore-obsolete
	$(PY) scripts/fill_english_catalogue.py

chromium:
	@command -v chromium >/dev/null 2>&1 || \
		{ echo "Installing Chromium from Debian for the browser tests"; $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

# The intake tests start their own unprivileged Dovecot (a real IMAP server) on loopback.
dovecot:
	@command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || \
		{ echo "Installing Dovecot from Debian for the intake tests"; $(SUDO) apt-get update && $(SUDO) apt-get install -y dovecot-imapd; }

instance/secret_key:
	@mkdir -p instance
	$(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@
	@chmod 600 $@

wheel: venv assets translations
	$(PY) -m build --wheel --outdir dist .

# The fault suite alone (also part of `make test`): its own PostgreSQL server, figures at the end.
faults: venv assets translations
	$(PY) -m pytest -q tests/faults $(PYTEST_ARGS)

bench: venv
	$(PY) bench/deadlines.py
	$(PY) bench/alerts.py

# The load test at national scale (1.5 million notifications, 50 users, 5 minutes; about
# 15 minutes in all). A smaller run: make load LOAD_ARGS="--size 50000 --users 20 --duration 60"
load: venv assets translations
	$(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) $(STAMPS) node_modules tracker/static/vendor dist build *.egg-info
