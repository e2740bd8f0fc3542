"""Letters (PDF, Danish, A4) rendered with fpdf2 from plain data: see ``model.py``.

``render`` holds the public API; ``pakrav``, ``termination`` and ``eviction`` build each
letter's text (pure, tested); ``layout`` paginates and draws, ``typeset`` breaks lines in
the bundled font (``reports/fonts``); ``danish`` formats dates,
amounts and names; ``validation`` refuses data that would give a void letter.
"""

from reports.letters.render import (
    Letter,
    build_document,
    checksum,
    combine,
    draw,
    render_eviction_request,
    render_pakrav,
    render_termination,
)
from reports.letters.validation import LetterError

__all__ = [
    "Letter",
    "LetterError",
    "build_document",
    "checksum",
    "combine",
    "draw",
    "render_eviction_request",
    "render_pakrav",
    "render_termination",
]
