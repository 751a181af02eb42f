"""The site extra, or a clear message, found without importing it.

The site builder's modules import this first: without the `site` extra (a plain `pip install lecture-utils`) they
fail with the line that installs what they need, not with a module missing somewhere inside.
"""

from importlib.util import find_spec

_INSTALL_LINE = 'pip install "lecture-utils[site]" (in the repository: `make site`)'
# What the builder imports that comes only with the site extra.
_NEEDED = ("nbconvert", "nbclient", "nbformat", "ipykernel", "mathjax")  # mathjax: django-static-mathjax

_missing = [name for name in _NEEDED if find_spec(name) is None]
if _missing:
    raise ImportError(f"lecture_utils.site builds the course's website and needs {', '.join(_missing)}: "
                      f"{_INSTALL_LINE}.")
