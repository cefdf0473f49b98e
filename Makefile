# Everything a fresh machine needs: Python 3.11 with venv and pip, and Debian's packages.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test test-dates lint format bench clean install bundle deb

$(STAMP): pyproject.toml
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## run: open the application on the default database (created on first start)
run: $(STAMP)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then bash scripts/system-deps.sh --display; fi
	$(PY) -m merlet_desk $(ARGS)

## test: lint, format check, type check and the whole test suite, offscreen (plus a real X
## session, Xvfb with openbox, for the tests that open the window as a user's desktop does)
test: $(STAMP)
	bash scripts/system-deps.sh --display xvfb openbox x11-utils binutils
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q

## test-dates: the test suite with the program's clock fixed at the dates where date logic breaks
test-dates: $(STAMP)
	bash scripts/test-dates.sh

## bench: build (or reuse) the large databases and measure the speed and memory targets
## (issues 9, 16, 17 and 18) at 2,000 and 20,000 pupils; writes benchmarks/results.md and growth.png
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

## bundle: the frozen application (PyInstaller, one folder) in dist/merlet-desk/, smoke-tested
PKG_STAMP := $(VENV)/.installed-packaging
$(PKG_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,packaging]'
	touch $(PKG_STAMP)

bundle: $(PKG_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level ERROR \
		--distpath dist --workpath build/pyinstaller packaging/merlet-desk.spec
	bash packaging/check-app.sh dist/merlet-desk/merlet-desk "$$($(PY) packaging/version.py)"

## deb: dist/merlet-desk_<version>_amd64.deb from the bundle (test it with packaging/test-deb.sh)
deb: bundle
	bash packaging/build-deps.sh
	PYTHON=$(PY) bash packaging/build-deb.sh

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
