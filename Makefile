# nnbook: two commands for a newcomer, `make book` and `make test`.
# Every target creates .venv from requirements.lock when it is missing or older
# than the lock (or than pyproject.toml).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))

# Deterministic runs everywhere (notebooks keep the inline matplotlib backend).
# One BLAS thread: a multi-threaded matrix product may sum in a different order
# on a machine with another number of cores, and change a printed digit.
# Only `make bench` lifts this, to measure the machine's full speed.
export PYTHONHASHSEED := 0
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
# The kernel named python3 is the one installed in .venv (nnbook importable),
# even if the user has another python3 kernel in ~/.local/share/jupyter.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all venv book browser browser-deps pdf test-pdf test lint unit notebooks test-numerics execute lab bench clean

all: test book

$(STAMP): requirements.lock pyproject.toml
	@echo ">>> creating $(VENV) from requirements.lock"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnbook)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

# The HTML book. `make book` always builds it; `make browser` (so `make test`)
# builds it only when a source is newer than the last build.
BOOK_HTML    := _build/html
BOOK_BUILT   := $(BOOK_HTML)/.nnbook-built
BOOK_SOURCES := _config.yml _toc.yml $(wildcard *.md *.bib chapters/*.ipynb _ext/*.py _static/*)
BUILD_BOOK   := $(BIN)/jupyter-book build . -W -n --keep-going

book: $(STAMP)
	$(BUILD_BOOK)
	@touch $(BOOK_BUILT)
	@echo "Book built: file://$(CURDIR)/_build/html/index.html"

# The whole book as one PDF, _build/latex/nnbook.pdf: Jupyter Book's LaTeX
# builder with XeLaTeX, xeCJK and Noto CJK for the Chinese terms (_config.yml,
# latex:). The TeX packages and fonts come from Debian; as root, the first run
# installs the missing ones with apt-get (about 245 MB to download, 650 MB on
# disk), otherwise scripts/pdf_prerequisites.sh says what to install.
# `make test-pdf` then reads the PDF (tests/test_pdf.py).
PDF_DEBS := latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra \
  texlive-fonts-recommended texlive-lang-chinese xindy fonts-freefont-otf fonts-noto-cjk
PDF := _build/latex/nnbook.pdf

pdf: $(STAMP)
	bash scripts/pdf_prerequisites.sh $(PDF_DEBS)
	rm -f $(PDF)
	LATEXOPTS="-interaction=batchmode -halt-on-error" \
	  $(BIN)/jupyter-book build . -W -n --keep-going --builder pdflatex </dev/null \
	  || { grep -A8 '^!' $(PDF:.pdf=.log) >&2; echo "make pdf failed: see $(PDF:.pdf=.log)" >&2; exit 1; }
	@test -s $(PDF) || { echo "make pdf: $(PDF) was not written" >&2; exit 1; }
	@echo "PDF built: $(CURDIR)/$(PDF)"

test-pdf: $(STAMP)
	NNBOOK_REQUIRE_PDF=1 $(BIN)/python -m pytest -q tests/test_pdf.py

$(BOOK_BUILT): $(STAMP) $(BOOK_SOURCES)
	$(BUILD_BOOK)
	touch $@

# Debian's Chromium for the browser tests. Playwright (in the lock) drives it
# through its path and never downloads a browser of its own.
CHROMIUM ?= /usr/bin/chromium
browser-deps: $(STAMP)
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo ">>> installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    || echo ">>> apt-get could not install chromium: the browser tests will be skipped"; \
	else \
	  echo ">>> $(CHROMIUM) is missing and cannot be installed here (needs root and apt-get):"; \
	  echo ">>> the browser tests will be skipped; install it with: sudo apt-get install chromium"; \
	fi

# Every page of _build/html in Chromium, offline: console, requests, MathJax,
# images, links, search, solutions, code width; screenshots in _build/screenshots.
browser: browser-deps $(BOOK_BUILT)
	NNBOOK_HTML=$(abspath $(BOOK_HTML)) NNBOOK_CHROMIUM=$(CHROMIUM) \
	  $(BIN)/python -m pytest -q tests/browser

lint: $(STAMP)
	$(BIN)/ruff check nnbook tests benchmarks scripts _ext

unit: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --doctest-modules nnbook tests --ignore=tests/browser

notebooks: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --nbval chapters

test: lint unit notebooks browser

# A maintainer's check: the unit tests and every notebook again, under numerics
# perturbed on purpose (NumPy's SIMD at its baseline, glibc's FMA variants
# masked, two BLAS threads; see scripts/perturbed_numerics.py). It shows that
# the stored outputs do not depend on this machine's last bits. The BLAS kernel
# is left as the machine picks it.
test-numerics: $(STAMP)
	$(BIN)/python scripts/perturbed_numerics.py \
	  $(BIN)/python -m pytest -q -n 2 --doctest-modules nnbook tests -m "not book" \
	  --ignore=tests/browser
	$(BIN)/python scripts/perturbed_numerics.py \
	  $(BIN)/python -m pytest -q -n 2 --dist loadfile --nbval chapters

# Re-run every chapter in place (or only some: make execute NOTEBOOKS=chapters/03_activations.ipynb).
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(NOTEBOOKS)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=chapters $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS -u MKL_NUM_THREADS $(BIN)/python benchmarks/mlp.py
	env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS -u MKL_NUM_THREADS $(BIN)/python benchmarks/cnn.py

clean:
	rm -rf _build
