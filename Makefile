# One entry point for maintainers, the README and CI. `make help` lists the targets.
# Everything runs in a virtual environment (.venv), created on first use, so a fresh
# machine needs only Python 3.11+ and make.
VENV ?= .venv
PYTHON = $(VENV)/bin/python
STAMP = $(VENV)/.installed

.PHONY: help install site serve test lint validate audit reconstruct deploy weight bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the builder with its test tools

site: $(STAMP)  ## validate the package and build the site into site/
	$(PYTHON) -m builder build

serve: $(STAMP)  ## preview the site at http://127.0.0.1:8000 with live reload
	$(PYTHON) -m builder serve

node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; else echo "npm not found: the accessibility and HTML checks will be skipped"; fi

test: lint node_modules/.package-lock.json  ## lint, type-check, then run the whole test suite
	$(PYTHON) -m pytest

lint: $(STAMP)  ## ruff (lint and format) and mypy
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check builder tests bench datapackage
	$(PYTHON) -m mypy

validate: $(STAMP)  ## validate the data package
	$(PYTHON) -m builder validate

audit: $(STAMP)  ## compare every published figure with the records
	$(PYTHON) -m builder audit

reconstruct: $(STAMP)  ## regenerate the reconstructed resources (deterministic)
	$(PYTHON) datapackage/reconstruct.py

weight: $(STAMP)  ## page-weight report of the built site (needs chromium)
	$(PYTHON) bench/page_weight.py

bench: $(STAMP)  ## time every stage at 1x-1000x the real adverts, with baselines (long)
	$(PYTHON) bench/sizes.py

deploy: $(STAMP)  ## publish the site to GitHub Pages (needs SITE_URL: citations and embeds use it)
	@test -n "$$SITE_URL" || { echo "make deploy: set SITE_URL to the published address, e.g. SITE_URL=https://OWNER.github.io/REPOSITORY/ make deploy"; exit 2; }
	$(VENV)/bin/mkdocs gh-deploy --strict
