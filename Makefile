# Two commands do everything:  make run  (service + plan)  and  make test  (every test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Tools that are not dependencies of the service (pip-tools for `make lock`, pip-audit for `make audit`) live
# in a virtual environment of their own inside .venv, installed on demand at these pinned versions.
TOOLS     := $(VENV)/tools
PIP_TOOLS := pip-tools==7.6.2
PIP_AUDIT := pip-audit==2.10.1
# The second test pass runs every test again on PostgreSQL (each test in a schema of its own).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres lint security install lock audit docs bench clean vendor-frontend

## make run: install if needed, check the data, print the summary and the plan, create the demo accounts, serve
run: $(STAMP)
	$(PY) -m matcher summary
	$(PY) -m matcher propose
	$(PY) -m web demo-users
	$(PY) -m web serve --host $(HOST) --port $(PORT)

## make test: install if needed, run ruff and mypy (make lint), bandit (make security), then every test twice: on
## SQLite, then on PostgreSQL
test: lint security test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(PY) -m pytest

test-postgres: $(STAMP)
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest

## make vendor-frontend: refresh the NHS.UK frontend in web/static from npm (then commit it)
vendor-frontend:
	bash scripts/vendor-frontend.sh

## make lint: ruff over everything we wrote, then mypy over matcher/ and web/ (configured in pyproject.toml)
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

## make security: bandit over matcher/ and web/; fails on any finding not explained by a `# nosec BXXX  # why` comment
# (bandit also warns "nosec encountered (BXXX), but no failed test" for each other node on an annotated line: its own
# false alarm, not a finding, so only that message is filtered out; the findings and the exit status are bandit's)
security: $(STAMP)
	$(PY) -c "import logging, sys; from bandit.cli.main import main; sys.argv[0] = 'bandit'; \
	  logging.getLogger('bandit.core.tester').addFilter(lambda r: 'but no failed test' not in r.getMessage()); \
	  main()" -c pyproject.toml -r matcher web -q

install: $(STAMP)

# requirements.txt is the lock (generated from requirements.in by make lock): every package pinned with its hashes,
# installed in pip's hash-checking mode (pip itself included, so there is no unchecked `pip install --upgrade pip`).
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

## make lock: regenerate requirements.txt (pins and hashes of every file on PyPI) from requirements.in; keeps the
## existing pins that still fit; `make lock LOCK_ARGS=--upgrade` (or --upgrade-package NAME) moves them forward
lock:
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet $(PIP_TOOLS)
	CUSTOM_COMPILE_COMMAND="make lock" $(TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS) \
	  --output-file requirements.txt requirements.in

## make audit: pip-audit the lock against PyPI's vulnerability data (needs a machine that reaches it; not run in CI);
## --strict fails when any package could not be checked, rather than reporting it as clean
audit:
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet $(PIP_AUDIT)
	$(TOOLS)/bin/pip-audit --strict --require-hashes --disable-pip -r requirements.txt

clean:
	rm -rf $(VENV) .pytest_cache

## make docs: rewrite the README's configuration reference from matcher/settings.py
docs: $(STAMP)
	$(PY) -c "import re,pathlib;from matcher.settings import config_reference_markdown as r;p=pathlib.Path('README.md');s=p.read_text();a,b='<!-- config-reference:start -->','<!-- config-reference:end -->';p.write_text(s[:s.index(a)+len(a)]+'\n'+r()+s[s.index(b):])"
