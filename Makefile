# Two commands do everything:  make run  (service + plan)  and  make test  (every test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The second test pass runs every test again on PostgreSQL (each test in a schema of its own).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres install docs bench clean vendor-frontend

## make run: install if needed, check the data, print the summary and the plan, create the demo accounts, serve
run: $(STAMP)
	$(PY) -m matcher summary
	$(PY) -m matcher propose
	$(PY) -m web demo-users
	$(PY) -m web serve --host $(HOST) --port $(PORT)

## make test: install if needed and run every test twice: on SQLite, then on PostgreSQL
test: test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(PY) -m pytest

test-postgres: $(STAMP)
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest

## make vendor-frontend: refresh the NHS.UK frontend in web/static from npm (then commit it)
vendor-frontend:
	bash scripts/vendor-frontend.sh

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

clean:
	rm -rf $(VENV) .pytest_cache

## make docs: rewrite the README's configuration reference from matcher/settings.py
docs: $(STAMP)
	$(PY) -c "import re,pathlib;from matcher.settings import config_reference_markdown as r;p=pathlib.Path('README.md');s=p.read_text();a,b='<!-- config-reference:start -->','<!-- config-reference:end -->';p.write_text(s[:s.index(a)+len(a)]+'\n'+r()+s[s.index(b):])"
