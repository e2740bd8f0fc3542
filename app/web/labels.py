"""Danish words for the web page: case states, letters, notification statuses, deadlines."""

from __future__ import annotations

from reports.labels import CASE_STATES, NOTIFICATION_STATUSES
from workflows.arrears.models import LetterKind
from workflows.arrears.states import CaseState
from workflows.moveout.deadlines import DeadlineKind
from workflows.notifications.models import NotificationKind, NotificationStatus

S = CaseState

CASE_STATE: dict[CaseState, str] = CASE_STATES  # one vocabulary for the page and the reports
assert set(CASE_STATE) == set(CaseState), "every state has its Danish name"

# The order states are offered in the case list's filter: the path of a case, then closed.
STATE_ORDER: tuple[CaseState, ...] = tuple(CASE_STATE)

LETTER_KIND: dict[LetterKind, str] = {
    LetterKind.PAKRAV: "Påkrav",
    LetterKind.TERMINATION: "Ophævelse",
    LetterKind.EVICTION_REQUEST: "Anmodning om udsættelse (fogedretten)",
}
assert set(LETTER_KIND) == set(LetterKind)

NOTIFICATION_KIND: dict[NotificationKind, str] = {
    NotificationKind.PAKRAV_FIRST_YEAR: "Påkrav i første lejeår",
    NotificationKind.EVICTION_REQUEST: "Anmodning om udsættelse",
    NotificationKind.GUARANTEE_CLAIM: "Krav under kommunegaranti",
}
assert set(NOTIFICATION_KIND) == set(NotificationKind)

NOTIFICATION_STATUS: dict[NotificationStatus, str] = {
    **NOTIFICATION_STATUSES,
    NotificationStatus.DEAD_LETTER: "Opgivet – kræver handling",
}
assert set(NOTIFICATION_STATUS) == set(NotificationStatus)

MOVEOUT_DEADLINE: dict[DeadlineKind, str] = {
    DeadlineKind.SUMMONS: "Indkaldelse til flyttesyn",
    DeadlineKind.INSPECTION: "Flyttesyn",
    DeadlineKind.REPAIR_NOTICE: "Istandsættelsesrapport",
    DeadlineKind.FINAL_STATEMENT: "Flytteopgørelse",
}
assert set(MOVEOUT_DEADLINE) == set(DeadlineKind)

CHANNEL = {"digital_post": "Digital Post", "letter": "brev"}

MONTHS = (
    "jan.", "feb.", "mar.", "apr.", "maj", "jun.",
    "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
)  # fmt: skip

# What a step in a case's history means, in plain Danish (the event's own note is technical).
STEP: dict[CaseState, str] = {
    S.OPENED: "Restancen er konstateret, og sagen er oprettet.",
    S.AWAITING_PAKRAV_APPROVAL: "Påkravet venter på, at en bogholder godkender det.",
    S.PAKRAV_APPROVED: "Påkravet er godkendt og sendes med næste kørsel.",
    S.PAKRAV_SENT: "Påkravet er sendt til lejeren (ALL § 90, stk. 2).",
    S.AWAITING_TERMINATION_APPROVAL: "Påkravets frist er udløbet uden fuld betaling. "
    "En godkender skal tage stilling til ophævelse.",
    S.TERMINATION_SENT: "Ophævelsen er sendt til lejeren (ALL § 90, stk. 1, nr. 1).",
    S.EVICTION_REQUESTED: "Anmodning om udsættelse er sendt til fogedretten, og kommunen er "
    "underrettet (ALL § 92, stk. 2).",
    S.PAYMENT_PLAN: "Der er aftalt en afdragsordning.",
    S.CLOSED_PAID: "Restancen er betalt. Sagen er lukket.",
    S.CLOSED_SETTLED: "Sagen er afgjort og lukket.",
    S.CLOSED_EVICTED: "Lejeren er udsat. Sagen er lukket.",
    S.CLOSED_WRITTEN_OFF: "Restancen er afskrevet. Sagen er lukket.",
    S.CLOSED_REJECTED: "Godkendelsen er afvist. Sagen er lukket.",
}
assert set(STEP) == set(CaseState)

REPORT_TEXT = {
    "arrears-aging": "Forfaldne, ubetalte beløb pr. afdeling efter alder: 0-30, 31-60, 61-90 og "
    "over 90 dage.",
    "pakrav-fees": "Påkrav sendt og påkravsgebyrer pr. måned, som de er bogført.",
    "cases-by-state": "Restancesagerne fordelt på, hvor langt de er nået på dagen.",
    "notifications": "Underretninger til kommunen med leveringsstatus og antal forsøg.",
    "deposits": "Indskud og depositum, som foreningen har modtaget og skal betale tilbage, "
    "pr. lejemål.",
    "bs-reconciliation": "Betalingsservice pr. måned: opkrævet, indbetalt, afvist og "
    "tilbageført, og listen over uafstemte indbetalinger.",
    "moveout-settlements": "Flytteopgørelser og krav på kommunens garanti.",
}
"""The reports' descriptions on the page (``reports`` keeps English ones for the CLI)."""
