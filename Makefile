# The two commands: `make site` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check bench golden clean serve offline fuzz npm-tools

# Synthetic archive benchmark; YEARS (or DAYS) and PAPERS_PER_DAY set the size.
DAYS ?= 365
PAPERS_PER_DAY ?= 38

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Build into a temporary folder and swap it in only when the build succeeds. Incremental: pages
# whose inputs are unchanged since the build of site/ (recorded in $(SITE_CACHE)/site.json) are taken
# from site/ instead of being rendered again (generator/site_cache.py); any other change of inputs
# (mkdocs.yml, theme, generator, installed packages) renders every page.
SITE_CACHE := .cache/site
# The replaced site is left in site.old/ and removed when the next build starts: deleting ~60,000
# files took 8.7 s of a publish at two years (`make bench`), and CI throws the runner away with it.
site: $(STAMP)
	rm -rf site.tmp site.old
	DAILY_PAPERS_SITE_STATE=$(SITE_CACHE)/site.json DAILY_PAPERS_PREVIOUS_SITE=site \
	  NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site.tmp
	if [ -d site ]; then mv site site.old; fi && mv site.tmp site

# The site as `make site` built it, for reading from disk: dist/site-offline.zip unpacks into one
# folder, daily-papers/ (open daily-papers/index.html). Not built again: under file:// the pages'
# links to folders are pointed at their index.html by a script (generator/offline.py says more).
# Needs site/ (run `make site` first; not a prerequisite, which would build the site twice in CI).
# The rm: the second build this target used to make kept its copy there (~440 MB at a year), which
# CI's cache of .cache/site would otherwise carry from run to run.
offline: $(STAMP)
	rm -rf $(SITE_CACHE)/offline $(SITE_CACHE)/offline.json
	$(BIN)/python -m generator offline site dist/site-offline.zip

test: $(STAMP) npm-tools
	$(BIN)/python -m pytest

# The property tests with 10,000 examples each (`make test` runs 500).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py -q

# The Nu HTML Checker (vnu-jar, run with Debian's Java) and axe-core for the built-site checks,
# pinned in package-lock.json. Without npm the tests that need them skip. --ignore-scripts:
# vnu-jar's postinstall would download a Java runtime from GitHub; the system's Java runs it.
npm-tools:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: skipping node_modules (the Nu HTML Checker and axe-core tests will skip)"; \
	elif [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then \
	  npm ci --ignore-scripts --no-audit --no-fund && touch node_modules/.installed; \
	fi

check: $(STAMP)
	$(BIN)/python -m generator check

# Live preview on http://127.0.0.1:$(PORT)/ (`make serve PORT=8001`): rebuilds and reloads once per edit.
PORT ?= 8000
serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

bench: $(STAMP)
	$(BIN)/python -m bench $(if $(YEARS),--years $(YEARS),--days $(DAYS)) --papers-per-day $(PAPERS_PER_DAY)

# Refresh the golden pages in tests/golden/ after an intended output change.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py -q

clean:
	rm -rf site site.tmp site.old dist .cache/site docs/index.md docs/feed.xml docs/.generator \
	  docs/papers docs/days docs/fields docs/tags docs/stats docs/search docs/feeds docs/cards
