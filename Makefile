# Two commands: `make run` and `make test`. Everything else is set up on the way.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-8)
PORT ?= 8501

.PHONY: run test setup data demo build lint format bench soak docs clean

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

data: setup
	$(PY) -m sanqu ensure

run: data
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

demo: setup
	$(PY) -m sanqu demo

build: setup
	$(PY) -m sanqu build

docs: setup
	$(PY) -m sanqu docs

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: data
	$(PY) -m scripts.bench

soak: data
	$(PY) -m scripts.soak $(or $(MINUTES),10) $(or $(EVERY),5)

clean:
	rm -rf $(VENV) data/registers data/*.duckdb test-output
