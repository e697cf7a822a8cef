"""pytest configuration for the whole repository.

``pytest --nbval chapters`` compares the stored outputs of the chapters; the
project's plugin ``tests.nbval_tolerance`` lets a cell tagged ``tolerance-N%``
be compared within that tolerance (see its docstring and CONTRIBUTING.md).
"""

pytest_plugins = ("tests.nbval_tolerance",)
