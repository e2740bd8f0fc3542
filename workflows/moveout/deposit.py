"""What is left of the deposit after the organisation's claims (ALL § 47).

Order: the municipality's beboerindskudslån, then udlæg by the tenant's creditors in the order
they were registered (first come, first served; retsplejeloven kap. 47-47 a; seed 003), each
limited to its debtor's share of the deposit when there are several tenants; the rest is
refunded to the tenant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from workflows.moveout.model import Attachment, AttachmentPayment


@dataclass(frozen=True, slots=True)
class Distribution:
    """How the rest of the deposit was paid out."""

    paid_to_indskudslaan_oere: int
    paid_to_attachments: tuple[AttachmentPayment, ...]
    refund_oere: int


def distribute_rest(
    rest_oere: int, indskudslaan_oere: int, attachments: Sequence[Attachment]
) -> Distribution:
    """Pay out ``rest_oere``, what the organisation's claims left of the deposit."""
    assert rest_oere >= 0 and indskudslaan_oere >= 0
    to_loan = min(rest_oere, indskudslaan_oere)
    after_loan = rest_oere - to_loan
    payments = pay_attachments(after_loan, attachments)
    refund = after_loan - sum(p.amount_oere for p in payments)
    assert refund >= 0
    assert to_loan + sum(p.amount_oere for p in payments) + refund == rest_oere
    return Distribution(to_loan, payments, refund)


def pay_attachments(
    available_oere: int, attachments: Sequence[Attachment]
) -> tuple[AttachmentPayment, ...]:
    """Pay udlæg from ``available_oere`` first come, first served.

    Order: by ``registered_on``; attachments registered the same day keep the order the caller
    gave them in (give them in the order the fogedret registered them). Each debtor's
    attachments together get at most ``floor(available * debtor_share)``: an udlæg reaches only
    the share of the deposit that belongs to the tenant who owes (seed 003). The share is taken
    of what is left after the organisation's claims and the beboerindskudslån, because those are
    the tenants' joint obligations.
    """
    assert available_oere >= 0
    in_order = sorted(attachments, key=lambda a: a.registered_on)  # stable: ties keep input order
    pools = _debtor_pools(available_oere, in_order)
    assert sum(pools.values()) <= available_oere
    payments: list[AttachmentPayment] = []
    for attachment in in_order:
        paid = min(attachment.amount_oere, pools[attachment.debtor])
        pools[attachment.debtor] -= paid
        payments.append(
            AttachmentPayment(
                creditor=attachment.creditor,
                registered_on=attachment.registered_on,
                debtor=attachment.debtor,
                claimed_oere=attachment.amount_oere,
                amount_oere=paid,
            )
        )
    assert all(0 <= p.amount_oere <= p.claimed_oere for p in payments)
    return tuple(payments)


def _debtor_pools(available_oere: int, attachments: Sequence[Attachment]) -> dict[str, int]:
    shares: dict[str, Fraction] = {}
    for attachment in attachments:
        known = shares.setdefault(attachment.debtor, attachment.debtor_share)
        assert known == attachment.debtor_share, "one debtor, one share"
    assert sum(shares.values(), Fraction(0)) <= 1, "shares of the deposit exceed the whole"
    return {
        debtor: available_oere * share.numerator // share.denominator
        for debtor, share in shares.items()
    }
