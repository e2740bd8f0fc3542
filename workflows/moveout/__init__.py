"""The move-out workflow (fraflytning): the final settlement (flytteopgørelse) and its JSON,
and around it the case, its deadlines, the ledger postings, the letters and vacancy rent.

Modules around the pure settlement (``settlement``, ``rules``, ``deposit``, ``model``):

* ``deadlines`` (pure): the ALL § 94 deadlines of a case, met / missed / open.
* ``models``: the tables; ``service``: register a case, record dates (write-once, logged
  corrections) and keep the stored deadlines; ``entries``: inspection items, invoices,
  claims, udlæg.
* ``settling``: the ``SettlementInput`` from the ledger and the case; settle and store.
* ``landing`` (pure) and ``closing``: the settlement as balanced ledger postings; letters
  issued and kept (PDF + SHA-256); the guarantee claim (``guarantee``: stored, and queued
  in the notification outbox in the same transaction).
* ``documents``: the letters' facts, rendered by ``reports.letters.moveout`` (injected).
* ``reminders``: ``upcoming_moveout_deadlines`` / ``missed_moveout_deadlines`` and
  ``moveout_nightly_step`` for the nightly run; ``vacancy``: tomgangsleje (ABL § 59, stk. 1).

Each of those modules' docstrings lists its decisions where the law and the issue are silent.

Public API::

    settle(inp: SettlementInput) -> Settlement
    check_input(inp: SettlementInput) -> tuple[InputError, ...]
    settlement_from_json(data: object) -> SettlementInput   # raises SettlementInputError
    settlement_to_json(result: Settlement) -> dict[str, Any]

Decisions where the law and the issue are silent (each is also in the docstring of its rule):

* Full months (ALL § 26, stk. 2): ``tenancy_start`` (takeover) and ``tenancy_end`` (last day of
  the lease) both count; month *n* is full when the lease lasted to the day before the *n*-th
  monthly anniversary of the start; an anniversary the month lacks rolls to the 1st of the next
  month, so 31 Jan → 28 Feb 2021 (or → 29 Feb 2020) is one full month, → 27 Feb 2021 is none.
* The landlord's share is ``min(full months, takeover_months) / takeover_months``; the tenant's
  part of each normal refurbishment is rounded *down* to whole øre.
* The 10 % cap (ALL § 94, stk. 2, 2. pkt.) is on the tenant's *total* share of the estimate
  ("lejerens samlede andel"), not per item; the cap is rounded down. A repair without
  ``estimate_oere`` counts as notified at its final amount.
* The notice deadline is inspection + 14 days and is not moved off weekends or holidays;
  ``repair_notice_date`` is the day the notice reached the tenant.
* Credits (e.g. a heat settlement in the tenant's favour) are netted with the open items, then
  set off against the repairs; a credit left over is paid to the tenant apart from the deposit.
* Udlæg: ordered by ``registered_on``, same-day ties in input order; with several tenants each
  udlæg names its ``debtor`` and ``debtor_share`` of what is left of the deposit after the
  organisation's claims and the beboerindskudslån.
"""

from workflows.moveout.json_io import settlement_from_json, settlement_to_json
from workflows.moveout.model import (
    Attachment,
    AttachmentPayment,
    Bearer,
    GuaranteeVoidReason,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    RepairCategory,
    RepairNoticeDecision,
    Section,
    Settlement,
    SettlementInput,
    StatementLine,
)
from workflows.moveout.settlement import settle
from workflows.moveout.validation import InputError, SettlementInputError, check_input

__all__ = [
    "Attachment",
    "AttachmentPayment",
    "Bearer",
    "GuaranteeVoidReason",
    "InputError",
    "OpenItem",
    "OpenItemKind",
    "OtherClaim",
    "Repair",
    "RepairCategory",
    "RepairNoticeDecision",
    "Section",
    "Settlement",
    "SettlementInput",
    "SettlementInputError",
    "StatementLine",
    "check_input",
    "settle",
    "settlement_from_json",
    "settlement_to_json",
]
