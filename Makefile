# Two commands do everything:  make run  (service + plan)  and  make test  (every test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install docs bench clean

## make run: install if needed, check the data, print the classification summary and the plan, start the web service
run: $(STAMP)
	$(PY) -m matcher summary
	$(PY) -m matcher propose
	$(PY) -m web serve --host $(HOST) --port $(PORT)

## make test: install if needed and run every test
test: $(STAMP)
	$(PY) -m pytest

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
