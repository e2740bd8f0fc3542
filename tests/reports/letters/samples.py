"""Letter data for the tests: one household in Aarhus behind with April's rent in 2026.

Dates follow domain.md §2: rent due Wednesday 1 April 2026, earliest påkrav Thursday 9 April
(Easter 2-6 April), sent by Digital Post (arrives the same day), deadline Thursday 23 April.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workflows.arrears.letter_data import (
    Channel,
    ClaimLine,
    EvictionRequest,
    PakravLetter,
    Recipient,
    Sender,
    TerminationLetter,
)

SENDER = Sender(
    name="Boligforeningen Østjylland",
    address="Søndergade 14",
    postcode="8000",
    city="Aarhus C",
    cvr="12345678",
    phone="70 12 34 56",
    email="udlejning@boligostjylland.dk",
    payment_details="reg.nr. 1234 konto 0001234567",
)

TENANT = Recipient(
    names=("Anna Sørensen",),
    address="Vestergade 12, 2. tv.",
    postcode="8000",
    city="Aarhus C",
)

COUPLE = replace(TENANT, names=("Anna Sørensen", "Bo Ægidius Hansen"))

APRIL_LINES = (
    ClaimLine(date(2026, 4, 1), "Husleje april 2026", 651_200),
    ClaimLine(date(2026, 4, 1), "A conto varme april 2026", 65_000),
)
FEE_OERE = 33_500
FEE_LINE = ClaimLine(date(2026, 4, 9), "Påkravsgebyr 2026", FEE_OERE)
MAY_RENT = ClaimLine(date(2026, 5, 1), "Husleje maj 2026", 651_200)


def pakrav(**changes: object) -> PakravLetter:
    letter = PakravLetter(
        sender=SENDER,
        recipient=TENANT,
        unit_number="12-034",
        case_reference="R-2026-0113",
        dispatch_date=date(2026, 4, 9),
        channel=Channel.DIGITAL_POST,
        lines=APRIL_LINES,
        fee_oere=FEE_OERE,
        fee_text="Påkravsgebyr 2026",
        deadline=date(2026, 4, 23),
    )
    return replace(letter, **changes)  # type: ignore[arg-type]


def termination(**changes: object) -> TerminationLetter:
    letter = TerminationLetter(
        sender=SENDER,
        recipient=TENANT,
        unit_number="12-034",
        case_reference="R-2026-0113",
        termination_date=date(2026, 4, 27),
        channel=Channel.LETTER,
        pakrav_date=date(2026, 4, 9),
        deadline=date(2026, 4, 23),
        lines=(*APRIL_LINES, FEE_LINE),
    )
    return replace(letter, **changes)  # type: ignore[arg-type]


def eviction_request(**changes: object) -> EvictionRequest:
    request = EvictionRequest(
        sender=SENDER,
        court="Fogedretten i Aarhus",
        tenant=TENANT,
        unit_number="12-034",
        case_reference="R-2026-0113",
        request_date=date(2026, 5, 4),
        pakrav_date=date(2026, 4, 9),
        deadline=date(2026, 4, 23),
        termination_date=date(2026, 4, 27),
        lines=(*APRIL_LINES, FEE_LINE, MAY_RENT),
        municipality_name="Aarhus",
        municipality_notified_on=date(2026, 5, 4),
        children_in_household=2,
    )
    return replace(request, **changes)  # type: ignore[arg-type]
