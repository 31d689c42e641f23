# One command each: `make demo` (install + run the demo), `make test` (install + lint + tests).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install browser demo test lint format bench bench-scale screenshot clean

$(BIN)/govreports: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/govreports

demo: install
	$(BIN)/govreports demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .

# The browser test renders the visual report in Debian's chromium, with CJK fonts; CI runs as
# root and installs them here, elsewhere the test is skipped with how to install them.
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null; \
	else echo "chromium or CJK fonts missing: the browser test is skipped (apt-get install chromium fonts-wqy-zenhei)"; fi

test: install lint browser
	$(BIN)/pytest

# docs/report.png, the README's picture of the report, as the browser test's Chromium draws it
screenshot: install browser
	GOVREPORTS_UPDATE_SCREENSHOT=1 $(BIN)/pytest -q tests/flows/test_report_browser.py

bench: install
	$(BIN)/python bench/extract_throughput.py
	$(BIN)/python bench/crawl_throughput.py
	$(BIN)/python bench/load_throughput.py
	$(BIN)/python bench/nightly_throughput.py

bench-scale: install
	$(BIN)/python bench/scale_out.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
