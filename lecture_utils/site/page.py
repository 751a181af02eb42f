"""An executed notebook (its widgets already static, see static_widgets) as one HTML page that loads nothing from
the network: nbconvert's JupyterLab look, its CSS inlined, with no require.js, no widget manager, no Mermaid,
and MathJax 3 from the site's own copy (MATHJAX_FOLDER, SVG output: no web fonts); links to notebooks and to
markdown pages point to their pages.

    html = notebook_page(notebook)            # an nbformat notebook, outputs included
"""

import re

# isort: off
from . import site_extra  # noqa: F401  (the site extra, or what to install)
# isort: on

import jinja2
import nbformat
from nbconvert import HTMLExporter

__all__ = ["notebook_page", "page_links", "MATHJAX_FOLDER", "MATHJAX_SCRIPT", "SLIDER_SCRIPT"]

MATHJAX_FOLDER = "mathjax"  # beside the pages
NAVIGATION = "[All notebooks](index.html) · [Notation](notation.md)"  # atop every page

# Moving a live slider shows the picture drawn for that position (static_widgets writes its data-frames).
SLIDER_SCRIPT = """
document.querySelectorAll("input.site-frames").forEach(function (slider) {
  var frames = JSON.parse(slider.dataset.frames);
  slider.addEventListener("input", function () {
    var i = Number(slider.value);
    var picture = document.querySelector("#" + frames.picture + " img");
    picture.src = "frames/" + frames.files[i];
    picture.alt = frames.alts[i];
    document.getElementById(frames.box).value = String(frames.values[i]);
  });
});
"""

# MathJax 3's TeX-to-SVG component in one file: the glyphs are paths in it, so no web font is fetched.
MATHJAX_SCRIPT = "tex-svg-full.js"
MATHJAX_CONFIG = """
window.MathJax = {
  tex: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
        processEscapes: true, processEnvironments: true},
  svg: {fontCache: "global"},
  options: {enableMenu: false}
};
"""

CSS = """
.site-box { display: flex; gap: 4px 12px; align-items: center; }
.site-row { flex-flow: row wrap; }
.site-column { flex-direction: column; align-items: flex-start; }
.site-control { font-size: 13px; display: inline-flex; gap: 6px; align-items: center; }
.site-control input[type=number] { width: 80px; }
.site-slider { width: 170px; }
.site-note { font-size: 13px; color: #4a4a4a; margin: 2px 0 8px 0; }
"""

TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<script>""" + MATHJAX_CONFIG + """</script>
<script src=\"""" + MATHJAX_FOLDER + "/" + MATHJAX_SCRIPT + """"></script>
{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}<style>""" + CSS + """</style>{%- endblock extra_css -%}
{%- block body_footer -%}
<script>""" + SLIDER_SCRIPT + """</script>
{{ super() }}
{%- endblock body_footer -%}
"""

# A relative link to a notebook or a markdown page (no scheme), with an optional #fragment.
_LINK = re.compile(r'href="(?P<path>[^":#?]+)\.(?:ipynb|md)(?P<fragment>#[^"]*)?"')


def page_links(html):
    """The page's relative links to NN_name.ipynb and name.md turned into links to their pages (.html)."""
    return _LINK.sub(lambda m: f'href="{m["path"]}.html{m["fragment"] or ""}"', html)


def notebook_page(notebook, title=None):
    """The HTML page of `notebook` (nbformat, outputs included; widget outputs already static), with the site's
    links (NAVIGATION) above it."""
    notebook = nbformat.from_dict(notebook)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(NAVIGATION))
    exporter = HTMLExporter(template_name="lab", template_file="site.html.j2",
                            extra_loaders=[jinja2.DictLoader({"site.html.j2": TEMPLATE})])
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title or "Back to Backprop"}})
    return page_links(body)
