# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The test suite runs against the local PostgreSQL and Redis of this project's machines.
# TEST_DATABASE_URL names an administrator, who makes two roles (scripts/ensure-db-roles.sh): the
# owner creates and migrates the test database, and the suite runs as the least-privileged app role.
TEST_DATABASE_URL ?= postgres://postgres@localhost:5432/test
TEST_OWNER_ROLE ?= avtaler_owner
TEST_APP_ROLE ?= avtaler_app
TEST_DATABASE_AT = $(lastword $(subst @, ,$(TEST_DATABASE_URL)))
TEST_REDIS_URL ?= redis://localhost:6379/0
# Debian packages: LibreOffice turns generated .docx into PDF; python3-uno lets Debian's Python drive
# the warm LibreOffice (unoserver, `pdf` in the Procfile); poppler-utils' pdftotext reads PDFs back
# in tests; Chromium runs the browser tests (no browser download).
SYSTEM_PACKAGES ?= libreoffice-writer-nogui python3-uno fonts-dejavu-core poppler-utils chromium

.PHONY: run test install install-test system-packages services lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# axe-core (MPL-2.0), the accessibility engine the browser tests inject into each page (WCAG 2.1
# AA); from the npm registry with the machine's npm, pinned, into var/node (not committed).
AXE_CORE_VERSION := 4.11.0
# A stamp per version, so a changed pin installs again.
AXE_STAMP := var/node/.axe-core-$(AXE_CORE_VERSION)

install-test: $(BIN)/python system-packages $(AXE_STAMP)
	$(BIN)/pip install --quiet -e ".[test]"

$(AXE_STAMP):
	npm install --prefix var/node --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE_VERSION)
	@touch $@

system-packages:
	@bash scripts/install-system-packages.sh $(SYSTEM_PACKAGES)

run: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Avtaleforvaltning: http://127.0.0.1:8000/"
	@echo "  Demo logins (password 'demo'): owner, owner-nlsh, ikt, legal, pvo, security,"
	@echo "  approver, approver-nlsh, ikt-approver, admin"
	@echo "  Emails are written to var/mail/. Ctrl-C stops web, worker, beat and pdf."
	@echo ""
	DEBUG=$${DEBUG:-true} PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

services:
	@bash scripts/ensure-services.sh

test: install-test services
	@bash scripts/ensure-db-roles.sh $(TEST_DATABASE_URL) $(TEST_OWNER_ROLE) $(TEST_APP_ROLE)
	DATABASE_URL=postgres://$(TEST_APP_ROLE)@$(TEST_DATABASE_AT) DATABASE_APP_ROLE=$(TEST_APP_ROLE) \
	DATABASE_OWNER_URL=postgres://$(TEST_OWNER_ROLE)@$(TEST_DATABASE_AT) CELERY_BROKER_URL=$(TEST_REDIS_URL) REDIS_URL=$(TEST_REDIS_URL) \
	DEBUG=false SECRET_KEY=test-only-secret-key-not-used-anywhere-else SECURE_SSL_REDIRECT=false \
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(BIN)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-test services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_REDIS_URL) DEBUG=true \
	$(BIN)/python -m bench

# New Norwegian strings into locale/en/LC_MESSAGES/django.po (translate the empty msgstr lines),
# then the compiled catalogue the app reads.
messages: $(BIN)/python
	DEBUG=true $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	DEBUG=true $(BIN)/python manage.py compilemessages -l en

clean:
	rm -rf var $(VENV)
