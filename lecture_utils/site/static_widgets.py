"""A widget's saved state (the notebook's `widgets` metadata) as static HTML: what the page shows of a panel.

    html = widget_html(model_id, states, frames)

states: {model id: {"model_name": ..., "state": {...}}} as nbclient saves them; frames: the slider
pictures' index (site.frames), by the model id of the picture they belong to. Only ipywidgets' core
models are known (a test checks that the notebooks use no others); an unknown one raises.

Boxes become flex rows and columns; an HTML widget (a panel's picture: an <img> with its text
alternative) its HTML; a control the same control, disabled, with its label and its value at the
end of the notebook's run. The slider that has frames (a panel's first) stays live: an
<input type=range> over the frames' numbers, which the page's script turns into pictures
(page.SLIDER_SCRIPT), its number box read-only beside it, showing the value; a panel says which of
its controls move here.
"""

import html
import json

__all__ = ["widget_html", "static_outputs", "WIDGET_VIEW", "WIDGET_STATE"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
BOXES = {"HBoxModel": "row", "VBoxModel": "column", "BoxModel": "row", "GridBoxModel": "row"}
NUMBER_BOXES = {"BoundedFloatTextModel", "BoundedIntTextModel", "FloatTextModel", "IntTextModel"}
SLIDERS = {"FloatSliderModel", "IntSliderModel", "FloatLogSliderModel", "SelectionSliderModel"}
MENUS = {"DropdownModel", "SelectModel"}
BUTTONS = {"ButtonModel", "ToggleButtonModel"}


def _id(reference):
    return reference.removeprefix("IPY_MODEL_")


def widget_html(model_id, states, frames):
    """The static HTML of the widget `model_id` and its children."""
    live = {entry["slider"]: (picture, entry) for picture, entry in frames.items()}
    live_boxes = {entry["box"]: entry for entry in frames.values()}
    return _html(_id(model_id), states, live, live_boxes)


def _html(model_id, states, live, live_boxes):
    model = states[model_id]
    name, state = model["model_name"], model["state"]
    label = html.escape(state.get("description", ""))
    if name in BOXES:
        children = "".join(_html(_id(child), states, live, live_boxes) for child in state.get("children", []))
        classes = " ".join(state.get("_dom_classes", []))
        note = _panel_note(model_id, states, live) if "lecture-panel" in classes else ""
        return f'<div class="site-box site-{BOXES[name]} {classes}">{children}{note}</div>'
    if name in ("HTMLModel", "HTMLMathModel"):
        classes = " ".join(state.get("_dom_classes", []))
        return f'<div class="site-html {classes}" id="w-{model_id}">{state.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<span class="site-label">{html.escape(str(state.get("value", "")))}</span>'
    if name in NUMBER_BOXES:
        value = html.escape(str(state.get("value", "")))
        if model_id in live_boxes:
            return (f'<label class="site-control">{label} <input type="number" id="w-{model_id}" value="{value}" '
                    f'readonly></label>')
        return f'<label class="site-control">{label} <input type="number" value="{value}" disabled></label>'
    if name in SLIDERS:
        if model_id in live:
            picture, entry = live[model_id]
            return _live_slider(model_id, picture, entry, states)
        return (f'<input type="range" class="site-slider" aria-label="{label or "slider"}" '
                f'min="{state.get("min", 0)}" max="{state.get("max", 100)}" step="any" '
                f'value="{state.get("value", state.get("index", 0))}" disabled>')
    if name in MENUS:  # a live one (a selection slider's menu) has an id: the page's script shows the value
        labels, chosen = state.get("_options_labels", []), state.get("index")
        options = "".join(f'<option{" selected" if i == chosen else ""}>{html.escape(str(text))}</option>'
                          for i, text in enumerate(labels))
        named = f' id="w-{model_id}"' if model_id in live_boxes else ""
        return f'<label class="site-control">{label} <select{named} disabled>{options}</select></label>'
    if name == "CheckboxModel":
        checked = " checked" if state.get("value") else ""
        return f'<label class="site-control"><input type="checkbox"{checked} disabled> {label}</label>'
    if name in BUTTONS:
        pressed = f' aria-pressed="{str(bool(state.get("value"))).lower()}"' if name == "ToggleButtonModel" else ""
        return f'<button class="site-button" disabled{pressed}>{label}</button>'
    if name == "OutputModel":
        return f'<div class="site-output">{"".join(_output_html(o) for o in state.get("outputs", []))}</div>'
    raise ValueError(f"the website does not know how to show a {name} (widget {model_id})")


def _panel_note(model_id, states, live):
    """What moves in the page: the live slider's name, or nothing (the picture as the notebook left it)."""
    names = [html.escape(states[entry["box"]]["state"].get("description", ""))
             for slider, (picture, entry) in live.items() if _contains(model_id, slider, states)]
    if names:
        return (f'<p class="site-note">In this page, {names[0]} moves the picture (drawn when the site was built); '
                f'run the notebook to move every control.</p>')
    return '<p class="site-note">The picture as the notebook draws it; run the notebook to move the controls.</p>'


def _contains(model_id, wanted, states):
    children = states[model_id]["state"].get("children", [])
    return model_id == wanted or any(_contains(_id(child), wanted, states) for child in children)


def _live_slider(model_id, picture, entry, states):
    box_label = html.escape(states[entry["box"]]["state"].get("description", ""))
    data = {"picture": f"w-{picture}", "box": f"w-{entry['box']}", "files": entry["files"],
            "alts": entry["alts"], "values": entry["values"]}
    return (f'<input type="range" class="site-slider site-frames" aria-label="{box_label}" min="0" '
            f'max="{len(entry["files"]) - 1}" step="1" value="{entry["start"]}" '
            f"data-frames='{html.escape(json.dumps(data, ensure_ascii=False), quote=True)}'>")


def _output_html(output):
    if output.get("output_type") == "stream":
        return f'<pre>{html.escape(output.get("text", ""))}</pre>'
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
    if "image/png" in data:
        alt = html.escape("".join(data.get("text/plain", "")))
        return f'<img src="data:image/png;base64,{data["image/png"]}" alt="{alt}">'
    return f'<pre>{html.escape("".join(data.get("text/plain", "")))}</pre>'


def static_outputs(notebook, frames):
    """Replace, in place, every widget output of the executed `notebook` by its static HTML, and drop its widgets
    metadata (the page loads no widget manager)."""
    states = notebook.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                output["data"] = {"text/html": widget_html(view["model_id"], states, frames)}
    return notebook
