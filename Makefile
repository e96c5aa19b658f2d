# Shubbak: `make run` sets up and serves the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format messages makemessages migrate demo serve deps dev-deps system-deps browser-deps vendor bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# GNU gettext compiles the message catalogues.
system-deps:
	@command -v msgfmt >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext)

# Debian's Chromium for the browser tests (never `playwright install`: it downloads and fails here).
browser-deps:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

messages: system-deps deps
	$(PY) manage.py compilemessages --ignore=.venv -v0

makemessages: deps
	$(PY) manage.py makemessages -l ar -l en --ignore=.venv --ignore=staticfiles --no-obsolete

migrate: deps
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py load_referrals_demo

# The web server and one job worker (imports, e-mail); Ctrl-C stops both.
serve:
	trap 'kill 0' INT TERM EXIT; $(PY) manage.py run_huey --quiet & $(PY) manage.py runserver $(HOST)

run: messages demo serve

test: dev-deps messages browser-deps
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

lint: dev-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run -v0

format: dev-deps
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Refresh the vendored front-end files from the npm registry (versions in package.json).
vendor:
	npm install --no-save --silent
	cp node_modules/bootstrap/dist/css/bootstrap.rtl.min.css node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js shubbak/static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js shubbak/static/vendor/htmx/
	for w in 400 600 700; do for s in arabic latin; do cp node_modules/@fontsource/ibm-plex-sans-arabic/files/ibm-plex-sans-arabic-$$s-$$w-normal.woff2 shubbak/static/fonts/; done; done

clean:
	rm -rf $(VENV) staticfiles shubbak.sqlite3*
