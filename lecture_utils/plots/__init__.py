"""Pure plotting functions: data and parameters in, a matplotlib Figure out.

No function reads a global or touches pyplot; each draws on the `ax`/`axes` it is
given (a widget panel's) or on a new figure, and returns the figure, which
Jupyter shows when it ends a cell. One module per notebook; all are available
as `plots.<function>`.
"""

from . import style  # noqa: F401  plots.style: the palette and the page's width, for widgets and tests

# One module per notebook, in the notebooks' order:
# isort: off
from .neuron import *  # noqa: F401,F403  00
from .linear_regression import *  # noqa: F401,F403  01
from .predictors import *  # noqa: F401,F403  02
from .matrix_form import *  # noqa: F401,F403  03
from .projections import *  # noqa: F401,F403  04
from .nonlinearity import *  # noqa: F401,F403  05
from .classify import *  # noqa: F401,F403  05 and 09
from .playground import *  # noqa: F401,F403  05
from .descent import *  # noqa: F401,F403  06
from .graph import *  # noqa: F401,F403  07
from .backprop import *  # noqa: F401,F403  08
from .training import *  # noqa: F401,F403  09
from .class_report import *  # noqa: F401,F403  the instructors' class report
# isort: on
