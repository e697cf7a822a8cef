"""nnbook: the small NumPy library behind the course *Neural networks, from the notes up*."""

__version__ = "0.1.0"
