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

.PHONY: all venv book test lint unit notebooks test-numerics execute lab bench clean

all: test book

$(STAMP): requirements.lock pyproject.toml
	@echo ">>> creating $(VENV) from requirements.lock"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnbook)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Book built: file://$(CURDIR)/_build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check nnbook tests benchmarks scripts _ext

unit: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --doctest-modules nnbook tests

notebooks: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --nbval chapters

test: lint unit notebooks

# A maintainer's check: the unit tests and every notebook again, under numerics
# perturbed on purpose (NumPy's SIMD at its baseline, glibc's FMA variants
# masked, two BLAS threads; see scripts/perturbed_numerics.py). It shows that
# the stored outputs do not depend on this machine's last bits. The BLAS kernel
# is left as the machine picks it.
test-numerics: $(STAMP)
	$(BIN)/python scripts/perturbed_numerics.py \
	  $(BIN)/python -m pytest -q -n 2 --doctest-modules nnbook tests -m "not book"
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
