"""Danish words for the states and kinds the reports show (accountant-facing)."""

from __future__ import annotations

from workflows.arrears.states import CaseState
from workflows.moveout.models import CaseState as MoveoutState
from workflows.moveout.models import GuaranteeClaimStatus
from workflows.notifications.models import Channel, NotificationKind, NotificationStatus

CASE_STATES: dict[CaseState, str] = {
    CaseState.OPENED: "Oprettet",
    CaseState.AWAITING_PAKRAV_APPROVAL: "Påkrav venter på godkendelse",
    CaseState.PAKRAV_APPROVED: "Påkrav godkendt",
    CaseState.PAKRAV_SENT: "Påkrav sendt",
    CaseState.AWAITING_TERMINATION_APPROVAL: "Ophævelse venter på godkendelse",
    CaseState.TERMINATION_SENT: "Ophævelse sendt",
    CaseState.EVICTION_REQUESTED: "Udsættelse begæret",
    CaseState.PAYMENT_PLAN: "Afdragsordning",
    CaseState.CLOSED_PAID: "Lukket: betalt",
    CaseState.CLOSED_SETTLED: "Lukket: afgjort",
    CaseState.CLOSED_EVICTED: "Lukket: udsat",
    CaseState.CLOSED_WRITTEN_OFF: "Lukket: afskrevet",
    CaseState.CLOSED_REJECTED: "Lukket: afvist",
}

NOTIFICATION_KINDS: dict[NotificationKind, str] = {
    NotificationKind.PAKRAV_FIRST_YEAR: "Påkrav, første år (ABL § 59, stk. 11)",
    NotificationKind.EVICTION_REQUEST: "Begæring om udsættelse (ALL § 92, stk. 2)",
    NotificationKind.GUARANTEE_CLAIM: "Garantikrav (ABL § 59, stk. 1)",
}

NOTIFICATION_STATUSES: dict[NotificationStatus, str] = {
    NotificationStatus.PENDING: "Afventer",
    NotificationStatus.SENDING: "Sendes",
    NotificationStatus.DELIVERED: "Afleveret",
    NotificationStatus.FAILED: "Fejlet, prøves igen",
    NotificationStatus.DEAD_LETTER: "Opgivet",
}

CHANNELS: dict[Channel, str] = {
    Channel.EMAIL: "E-mail",
    Channel.WEBHOOK: "Webhook",
    Channel.PULL: "Hentet via API",
    Channel.NONE: "Ingen",
}

MOVEOUT_STATES: dict[MoveoutState, str] = {
    MoveoutState.OPEN: "Under behandling",
    MoveoutState.SETTLED: "Opgjort",
    MoveoutState.POSTED: "Bogført",
}

GUARANTEE_STATUSES: dict[GuaranteeClaimStatus, str] = {
    GuaranteeClaimStatus.PENDING: "Ikke sendt",
    GuaranteeClaimStatus.QUEUED: "Sendt til kommunen",
    GuaranteeClaimStatus.PAID: "Betalt",
    GuaranteeClaimStatus.REJECTED: "Afvist",
}
