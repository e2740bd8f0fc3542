"""The arrears case state machine, as data: the allowed transitions and nothing else.

One case per tenancy and unpaid due date (domain.md §3). The path the law lays out::

    opened ─► pakrav_sent ─► awaiting_termination_approval ─► termination_sent
       │            │                                             │
       │            └─► closed_paid (paid before termination,     └─► eviction_requested
       │                ALL § 91, stk. 2)                               └─► closed_evicted
       └─► awaiting_pakrav_approval ─► pakrav_approved ─► pakrav_sent   (organisations that
                                                                          hold påkrav)

A payment plan (afdragsordning) pauses escalation (``payment_plan``); a missed instalment
resumes it. A person can close a case as settled or written off at any open stage, and reject
what waits for approval. Closed states are final: a due date whose arrears come back after a
``closed_paid`` case (a charge-back) gets a new case with the next ``sequence``.
"""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    OPENED = "opened"
    AWAITING_PAKRAV_APPROVAL = "awaiting_pakrav_approval"
    PAKRAV_APPROVED = "pakrav_approved"
    PAKRAV_SENT = "pakrav_sent"
    AWAITING_TERMINATION_APPROVAL = "awaiting_termination_approval"
    TERMINATION_SENT = "termination_sent"
    EVICTION_REQUESTED = "eviction_requested"
    PAYMENT_PLAN = "payment_plan"
    CLOSED_PAID = "closed_paid"
    CLOSED_SETTLED = "closed_settled"
    CLOSED_EVICTED = "closed_evicted"
    CLOSED_WRITTEN_OFF = "closed_written_off"
    CLOSED_REJECTED = "closed_rejected"


S = CaseState

CLOSED_STATES = frozenset(
    {S.CLOSED_PAID, S.CLOSED_SETTLED, S.CLOSED_EVICTED, S.CLOSED_WRITTEN_OFF, S.CLOSED_REJECTED}
)
OPEN_STATES = frozenset(S) - CLOSED_STATES
# Where a person is asked to decide.
APPROVAL_STATES = frozenset({S.AWAITING_PAKRAV_APPROVAL, S.AWAITING_TERMINATION_APPROVAL})
# States in which a payment that clears the demanded arrears closes the case by itself:
# before the termination is given (ALL § 91, stk. 2). After it, a person decides.
CLEARABLE_STATES = frozenset(
    {
        S.OPENED,
        S.AWAITING_PAKRAV_APPROVAL,
        S.PAKRAV_APPROVED,
        S.PAKRAV_SENT,
        S.AWAITING_TERMINATION_APPROVAL,
        S.PAYMENT_PLAN,
    }
)
# States a payment plan may cover.
PLANNABLE_STATES = frozenset(
    {
        S.OPENED,
        S.AWAITING_PAKRAV_APPROVAL,
        S.PAKRAV_APPROVED,
        S.PAKRAV_SENT,
        S.AWAITING_TERMINATION_APPROVAL,
        S.TERMINATION_SENT,
    }
)
_BY_A_PERSON = frozenset({S.CLOSED_SETTLED, S.CLOSED_WRITTEN_OFF})

TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    S.OPENED: frozenset(
        {S.PAKRAV_SENT, S.AWAITING_PAKRAV_APPROVAL, S.CLOSED_PAID, S.PAYMENT_PLAN} | _BY_A_PERSON
    ),
    S.AWAITING_PAKRAV_APPROVAL: frozenset(
        {S.PAKRAV_APPROVED, S.CLOSED_REJECTED, S.CLOSED_PAID, S.PAYMENT_PLAN} | _BY_A_PERSON
    ),
    S.PAKRAV_APPROVED: frozenset({S.PAKRAV_SENT, S.CLOSED_PAID, S.PAYMENT_PLAN} | _BY_A_PERSON),
    S.PAKRAV_SENT: frozenset(
        {S.AWAITING_TERMINATION_APPROVAL, S.CLOSED_PAID, S.PAYMENT_PLAN} | _BY_A_PERSON
    ),
    S.AWAITING_TERMINATION_APPROVAL: frozenset(
        {S.TERMINATION_SENT, S.CLOSED_REJECTED, S.CLOSED_PAID, S.PAYMENT_PLAN} | _BY_A_PERSON
    ),
    S.TERMINATION_SENT: frozenset(
        {S.EVICTION_REQUESTED, S.CLOSED_PAID, S.PAYMENT_PLAN} | _BY_A_PERSON
    ),
    S.EVICTION_REQUESTED: frozenset({S.CLOSED_EVICTED, S.CLOSED_PAID} | _BY_A_PERSON),
    S.PAYMENT_PLAN: frozenset(
        {
            S.OPENED,
            S.PAKRAV_SENT,
            S.AWAITING_TERMINATION_APPROVAL,
            S.TERMINATION_SENT,
            S.CLOSED_PAID,
        }
        | _BY_A_PERSON
    ),
    **{state: frozenset() for state in CLOSED_STATES},
}
assert set(TRANSITIONS) == set(CaseState), "every state has its row"


class TransitionError(ValueError):
    """A state change the state machine does not allow."""


def check_transition(from_state: CaseState, to_state: CaseState) -> None:
    """Raise ``TransitionError`` unless ``from_state -> to_state`` is allowed."""
    if to_state not in TRANSITIONS[CaseState(from_state)]:
        raise TransitionError(f"a case cannot go from {from_state} to {to_state}")


def is_closed(state: CaseState | str) -> bool:
    return CaseState(state) in CLOSED_STATES
