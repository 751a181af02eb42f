"""Thin ipywidgets panels over the pure functions in `lecture_utils.plots`.

A panel only wires controls to plot functions (see panel.Panel); shown as the
last value of a cell, it displays its controls above the picture. Panels and the
live plots of notebook 09 are built on one machine, picture.Picture. One module
per notebook; all are available as `widgets.<panel>`.
"""

from .panel import (Panel, dropdown, int_slider, labelled, log_slider, selection_slider, slider,  # noqa: F401
                    toggle)
from .picture import Picture  # noqa: F401
from .text_pixels import TextPixels  # noqa: F401  lines of text drawn again, copied (picture.texts)
from .animation import AnimatedFigure  # noqa: F401  a picture redrawn many times a second (05)
from .neuron import *  # noqa: F401,F403  00
from .line import *  # noqa: F401,F403  01
from .predictors import *  # noqa: F401,F403  02
from .matrix_form import *  # noqa: F401,F403  03
from .projections import *  # noqa: F401,F403  04
from .nonlinearity import *  # noqa: F401,F403  05
from .playground import *  # noqa: F401,F403  05
from .descent import *  # noqa: F401,F403  06
from .graph import *  # noqa: F401,F403  07
from .backprop import *  # noqa: F401,F403  08
from .training import *  # noqa: F401,F403  09
