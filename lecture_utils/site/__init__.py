"""The course's website: the learner edition executed, as static pages that need no network (make site).

    python -m lecture_utils.site [--edition exercises] [--to site]

builds `site/`: one page per notebook of the learner edition, run top to bottom in a learner's
kernel (nothing solved: the exercises as a learner meets them, with their checks' verdicts), every
picture and every panel's starting picture in the page, the notation page, an index page, and a
copy of MathJax for the formulas. In a panel with a slider, the slider moves the picture in the
page, from pictures drawn when the site was built. Nothing is fetched from the network, neither
while building nor when the pages are read: any static host (or the folder itself) serves it.

Modules: build (the whole site), execute (one notebook in a kernel), frames (drawn inside that
kernel), static_widgets (a widget's saved state as HTML), page (the HTML page), site_extra (what
the `site` extra must have installed).
"""
