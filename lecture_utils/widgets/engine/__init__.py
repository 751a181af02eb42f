"""The drawing engine every panel, live plot and the playground is drawn by; `widgets.panel` is its face.

A picture is told what moves: its still parts are drawn once and kept as pixels, and
only its moving artists are drawn again on them, the same way for all.

    picture.py    Picture: the figure, its still pixels, the moving artists drawn on them, and its view in
                  the page (an <img> at the size it was drawn, with its text alternative)
    layers.py     Layers: a panel's still axes and, on top of each, a moving twin the moving parts are drawn on
    animation.py  Animation: moving artists made once and changed in place, many pictures a second (05)
"""

from .animation import Animation  # noqa: F401
from .layers import Layers  # noqa: F401
from .picture import Picture  # noqa: F401
