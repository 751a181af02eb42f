"""The pictures a panel's slider shows in the website, drawn inside the notebook's kernel when the site is built.

    index = slider_frames(folder, count=21)   # in the kernel, after Run All of the notebook

For every panel the notebook made (a Panel, or notebook 05's PlaygroundPanel: both have `controls` and a
`picture`) that has a slider (a control with `.slider`, see widgets.panel), its first slider (in the order
of its controls; the others keep their starting values) is set to `count` values along its whole range,
and to its starting value, and each time the panel draws its picture itself, as it does when a learner
moves it (the playground, not playing, starts afresh with the new setting, as in the notebook);
each picture is written as a PNG into `folder`. The slider is then put back where it was, so the
panel shows its starting picture again. Needs only what a learner's kernel has.

index: {model id of the panel's picture view: {"slider": its model id, "box": the number box's, "values": the
box's value at each frame, "alts": each picture's text alternative, "files": each PNG's name, "start": the
frame of the starting value}}.
"""

import gc
from pathlib import Path

import numpy as np

from ..widgets.panel import Panel
from ..widgets.playground import PlaygroundPanel

__all__ = ["slider_frames", "first_sliders", "slider_values"]


def first_sliders():
    """Every live panel that has a slider, with its first control that has one: [(panel, control)]."""
    found = []
    for panel in (thing for thing in gc.get_objects() if isinstance(thing, (Panel, PlaygroundPanel))):
        sliders = [control for control in panel.controls.values() if hasattr(control, "slider")]
        if sliders:
            found.append((panel, sliders[0]))
    return found


def slider_values(slider, count):
    """`count` values of an ipywidgets slider spread over its whole range (its options for a SelectionSlider)."""
    if hasattr(slider, "options") and slider.options:
        options = [option[1] if isinstance(option, tuple) else option for option in slider.options]
        picks = np.linspace(0, len(options) - 1, min(count, len(options))).round().astype(int)
        return [options[i] for i in dict.fromkeys(picks.tolist())]
    if hasattr(slider, "base"):  # FloatLogSlider: min and max are exponents
        return [float(slider.base ** exponent) for exponent in np.linspace(slider.min, slider.max, count)]
    values = np.linspace(slider.min, slider.max, count)
    if isinstance(slider.value, int):
        return list(dict.fromkeys(int(v) for v in values.round()))
    return [float(v) for v in values]


def slider_frames(folder, count=21):
    """Draw the frames of every panel's first slider into `folder` (PNG files); return their index (module doc)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    index = {}
    for panel, control in first_sliders():
        start = control.value
        slider = control.slider
        start_slider = slider.value
        values = sorted(set(slider_values(slider, count)) | {start_slider}, key=_order(slider))
        entry = {"slider": slider.model_id, "box": control.model_id, "values": [], "alts": [], "files": [],
                 "start": values.index(start_slider)}
        view = panel.picture.view.model_id
        for number, value in enumerate(values):
            slider.value = value  # the box follows, and the panel redraws
            name = f"{view}-{number:02d}.png"
            (folder / name).write_bytes(_png(panel))
            entry["values"].append(control.value)
            entry["alts"].append(panel.picture.alt)
            entry["files"].append(name)
        control.value = start  # back to the starting picture
        index[view] = entry
    return index


def _order(slider):
    options = [o[1] if isinstance(o, tuple) else o for o in (getattr(slider, "options", None) or ())]
    return options.index if options else (lambda value: value)


def _png(panel):
    picture = panel.picture
    if picture.format != "png":
        raise ValueError("a panel's picture after a change of its control is a PNG")
    return picture.data
