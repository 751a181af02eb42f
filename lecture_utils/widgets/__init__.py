"""Thin ipywidgets panels over the pure functions in `lecture_utils.plots`.

A panel only wires controls to plot functions (see panel.Panel): it declares a still
background and the moving parts, each with the controls it depends on. Shown as the last
value of a cell, it displays its controls above the picture. Panels, the live plots of
notebook 09 and the playground are drawn by one engine, `widgets.engine`, whose face is
panel.py. One module per notebook; all are available as `widgets.<panel>`.
"""

from .panel import *  # noqa: F401,F403  the panel's parts, by panel.__all__

# One module per notebook, in the notebooks' order:
# isort: off
from .neuron import *  # noqa: F401,F403  00
from .linear_regression import *  # noqa: F401,F403  01
from .predictors import *  # noqa: F401,F403  02
from .matrix_form import *  # noqa: F401,F403  03
from .projections import *  # noqa: F401,F403  04
from .nonlinearity import *  # noqa: F401,F403  05
from .playground import *  # noqa: F401,F403  05
from .descent import *  # noqa: F401,F403  06
from .graph import *  # noqa: F401,F403  07
from .backprop import *  # noqa: F401,F403  08
from .training import *  # noqa: F401,F403  09
# isort: on
