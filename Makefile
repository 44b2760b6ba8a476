# Two commands do everything:  make run  (service + plan)  and  make test  (every test).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install summary clean

## make run: install if needed, check the data, print the classification summary, start the web service
run: $(STAMP)
	$(PY) -m matcher summary
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
