"""The package's documentation contract: every public function and class has a
docstring with a runnable example, and the mathematical modules state their
formulas (the doctests themselves run with ``--doctest-modules``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import nnbook

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(nnbook.__path__, prefix="nnbook.")
    if not info.name.split(".")[-1].startswith("_")
)
# Modules whose public functions are formulas of the course: each docstring states it.
MATHEMATICAL = {
    "nnbook.activations",
    "nnbook.gradcheck",
    "nnbook.init",
    "nnbook.losses",
    "nnbook.optim",
    "nnbook.regularization",
    "nnbook.layers",
    "nnbook.surfaces",
}


def public_objects():
    for name in MODULES:
        module = importlib.import_module(name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n in vars(module) if not n.startswith("_")]
        for attr in names:
            obj = getattr(module, attr)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == name:
                yield pytest.param(name, obj, id=f"{name}.{attr}")


def test_every_module_is_found():
    assert {"nnbook.activations", "nnbook.losses", "nnbook.train"} <= set(MODULES)


@pytest.mark.parametrize(("module", "obj"), list(public_objects()))
def test_public_api_is_documented_with_an_example(module, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{obj.__qualname__} has no docstring"
    assert ">>>" in doc, f"{module}.{obj.__qualname__}: the docstring has no Examples (doctest)"
    if module in MATHEMATICAL and inspect.isfunction(obj) and not obj.__name__.startswith("get_"):
        assert ":math:" in doc or ".. math::" in doc, (
            f"{module}.{obj.__qualname__}: the docstring states no formula"
        )
