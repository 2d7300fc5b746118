# One entry point for maintainers, the README and CI. `make help` lists the targets.
PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check

.PHONY: help install site serve test lint validate reconstruct

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install:  ## install the builder and its test tools
	$(PIP) -e ".[test]"

site: install  ## build the site into site/
	$(PYTHON) -m builder build

serve: install  ## preview the site with live reload
	$(PYTHON) -m builder serve

test: install  ## run the whole test suite
	$(PYTHON) -m pytest

lint:  ## ruff and mypy
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check builder tests
	$(PYTHON) -m mypy

validate:  ## validate the data package
	$(PYTHON) -m builder validate

reconstruct:  ## regenerate the reconstructed resources
	$(PYTHON) datapackage/reconstruct.py
