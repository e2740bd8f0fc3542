"""The data each letter is rendered from: plain frozen dataclasses, no database.

The arrears workflow builds these; ``reports.letters.render`` turns them into PDF bytes. Money
is in øre, dates are ``date``; the renderer formats them the Danish way (1.234,56 kr.,
21. november 2026).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Channel(StrEnum):
    """How the letter reaches the tenant (ALL § 5, stk. 3)."""

    DIGITAL_POST = "digital_post"
    LETTER = "letter"


@dataclass(frozen=True, slots=True)
class Sender:
    """The organisation (udlejer) as it appears in the letterhead."""

    name: str
    address: str
    postcode: str
    city: str
    cvr: str
    phone: str = ""
    email: str = ""
    payment_details: str = ""  # e.g. "Reg.nr. 1234 konto 0001234567" or "FI +71 <12345678"


@dataclass(frozen=True, slots=True)
class Recipient:
    """The tenant(s) and the address of the home."""

    names: tuple[str, ...]
    address: str
    postcode: str
    city: str


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One unpaid pligtig item demanded: its due date, its text and what is unpaid of it."""

    due_date: date
    text: str
    amount_oere: int


@dataclass(frozen=True, slots=True)
class PakravLetter:
    """Påkrav (ALL § 90, stk. 2): demand for the unpaid pligtige items of one due date.

    ``lines`` are the unpaid pligtige items (nothing else may be demanded); ``fee_oere`` is the
    påkrav fee for ``dispatch_date.year`` (itself pligtig). The letter must state that the lease
    can be terminated if ``total_oere`` is not paid by ``deadline``.
    """

    sender: Sender
    recipient: Recipient
    unit_number: str
    case_reference: str
    dispatch_date: date
    channel: Channel
    lines: tuple[ClaimLine, ...]
    fee_oere: int
    fee_text: str  # e.g. "Påkravsgebyr 2026"
    deadline: date

    @property
    def total_oere(self) -> int:
        return sum(line.amount_oere for line in self.lines) + self.fee_oere


@dataclass(frozen=True, slots=True)
class TerminationLetter:
    """Ophævelse (ALL § 90, stk. 1, nr. 1; § 92, stk. 1): the lease is terminated because the
    arrears demanded in the påkrav of ``pakrav_date`` were not paid by ``deadline``."""

    sender: Sender
    recipient: Recipient
    unit_number: str
    case_reference: str
    termination_date: date
    channel: Channel
    pakrav_date: date
    deadline: date
    lines: tuple[ClaimLine, ...]  # what is still unpaid, fees included

    @property
    def total_oere(self) -> int:
        return sum(line.amount_oere for line in self.lines)


@dataclass(frozen=True, slots=True)
class EvictionRequest:
    """Anmodning om udsættelse to the fogedret (retsplejeloven kap. 55; ALL § 92, stk. 2:
    the municipality is told no later than at the same time)."""

    sender: Sender
    court: str  # e.g. "Fogedretten i Aarhus"
    tenant: Recipient
    unit_number: str
    case_reference: str
    request_date: date
    pakrav_date: date
    deadline: date
    termination_date: date
    lines: tuple[ClaimLine, ...]  # the arrears at filing
    municipality_name: str
    municipality_notified_on: date
    children_in_household: int | None

    @property
    def total_oere(self) -> int:
        return sum(line.amount_oere for line in self.lines)
