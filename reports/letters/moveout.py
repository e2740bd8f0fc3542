"""The move-out letters (fraflytning) as PDF bytes.

Public API::

    render_repair_notice(facts) -> bytes     # Meddelelse om istandsættelse (ALL § 94, stk. 2)
    render_final_statement(facts) -> bytes   # Flytteopgørelse (ALL § 29 right to complain)
    render_guarantee_claim(facts) -> bytes   # Krav efter kommunal garanti (ABL § 59, stk. 1)
    renderers() -> DocumentRenderers         # what the composition root injects

The facts are ``workflows.moveout.documents`` dataclasses. Output is deterministic: the PDF's
creation date is the letter's date, so the same facts give the same bytes and SHA-256.
"""

from __future__ import annotations

from reports.letters.moveout_guarantee import build_guarantee_claim, render_guarantee_claim
from reports.letters.moveout_notice import build_repair_notice, render_repair_notice
from reports.letters.moveout_statement import build_final_statement, render_final_statement
from workflows.moveout.documents import DocumentRenderers


def renderers() -> DocumentRenderers:
    return DocumentRenderers(
        repair_notice=render_repair_notice,
        final_statement=render_final_statement,
        guarantee_claim=render_guarantee_claim,
    )


__all__ = [
    "build_final_statement",
    "build_guarantee_claim",
    "build_repair_notice",
    "render_final_statement",
    "render_guarantee_claim",
    "render_repair_notice",
    "renderers",
]
