"""The colours text is shown in, read from the installed JupyterLab, and their contrast (WCAG 2.1).

* `theme(name)`: a theme's page background (--jp-layout-color0) and text colour
  (--jp-content-font-color1, its alpha blended onto the background), from the theme's CSS;
* `ansi_palette()`: the colour of each ANSI colour class of JupyterLab's output area (the same in
  every theme), from its compiled CSS;
* `segments(text)`: a text printed with ANSI codes, cut into (characters, foreground, background),
  each colour an (r, g, b) or None for the theme's own, as JupyterLab renders it;
* `contrast(a, b)`: the contrast ratio of two colours.
"""

import re
from pathlib import Path

from jupyterlab.commands import get_app_dir

THEMES = {"light": "theme-light-extension", "dark": "theme-dark-extension"}
_LAB = Path(get_app_dir())  # what JupyterLab serves: <environment>/share/jupyter/lab
_ANSI_NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]


def _hex(colour):
    colour = colour.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour, colour)
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _theme_variable(css, name):
    found = re.search(rf"{re.escape(name)}:\s*([^;}}]+)", css)
    if found is None:
        raise LookupError(f"{name} is not in the theme's CSS")
    value = found.group(1).strip()
    fallback = re.fullmatch(r"var\(([^,]+),\s*([^)]+)\)", value)
    if fallback:  # var(--md-grey-900, #212121): the variable if the theme defines it, else the fallback
        try:
            return _theme_variable(css, fallback.group(1))
        except LookupError:
            return fallback.group(2)
    return value


def _colour(value, background=None):
    """(r, g, b) of a CSS colour; an rgba() is blended onto `background`."""
    rgba = re.fullmatch(r"rgba\(([^)]+)\)", value.replace(" ", ""))
    if rgba:
        r, g, b, alpha = (float(part) for part in rgba.group(1).split(","))
        return tuple(round(alpha * c + (1 - alpha) * base) for c, base in zip((r, g, b), background))
    return _hex(value)


def theme(name):
    """{"background": (r, g, b), "text": (r, g, b)} of JupyterLab's installed "light" or "dark" theme."""
    css = (_LAB / "themes" / "@jupyterlab" / THEMES[name] / "index.css").read_text(encoding="utf-8")
    background = _colour(_theme_variable(css, "--jp-layout-color0"))
    return {"background": background, "text": _colour(_theme_variable(css, "--jp-content-font-color1"), background)}


def ansi_palette():
    """{0..15: (r, g, b)}: JupyterLab's colours of the ANSI colours 30–37 and their intense forms (90–97)."""
    css = "".join(text for text in (path.read_text(encoding="utf-8", errors="replace")
                                    for path in (_LAB / "static").glob("*.js")) if "ansi-black-fg" in text)
    palette = {}
    for index, name in enumerate(_ANSI_NAMES):
        for offset, suffix in ((0, ""), (8, "-intense")):
            found = re.search(rf"\.ansi-{name}{suffix}-fg \{{\s*color: (#[0-9a-fA-F]{{3,6}})", css)
            if found is None:
                raise LookupError(f"JupyterLab's CSS has no colour for .ansi-{name}{suffix}-fg")
            palette[index + offset] = _hex(found.group(1))
    return palette


def segments(text):
    """[(characters, foreground, background)] of text with ANSI SGR codes (None: the theme's colour)."""
    palette = ansi_palette()
    parts, foreground, background, bold = [], None, None, False
    for piece in re.split(r"(\x1b\[[0-9;]*m)", text):
        code = re.fullmatch(r"\x1b\[([0-9;]*)m", piece)
        if not code:
            if piece.strip():
                shown = palette[foreground + 8] if bold and isinstance(foreground, int) and foreground < 8 else (
                    palette[foreground] if isinstance(foreground, int) else foreground)
                parts.append((piece, shown, palette[background] if isinstance(background, int) else background))
            continue
        numbers = [int(n) for n in code.group(1).split(";") if n] or [0]
        while numbers:
            n = numbers.pop(0)
            if n == 0:
                foreground, background, bold = None, None, False
            elif n == 1:
                bold = True
            elif 30 <= n <= 37 or 90 <= n <= 97:
                foreground = n - 30 if n < 90 else n - 90 + 8
            elif 40 <= n <= 47:
                background = n - 40
            elif n in (38, 48) and numbers[:1] == [2]:
                rgb = tuple(numbers[1:4])
                numbers = numbers[4:]
                foreground, background = (rgb, background) if n == 38 else (foreground, rgb)
            elif n in (39, 49):
                foreground, background = (None, background) if n == 39 else (foreground, None)
            else:
                raise ValueError(f"an ANSI code this test does not know: {n}")
    return parts


def _luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG 2.1's contrast ratio of two colours (r, g, b): 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
