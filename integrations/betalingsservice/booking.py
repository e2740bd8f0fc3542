"""What booking one organisation's part of a delivery shares: the context and the report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from ledger.accounts import reallocate
from ledger.bulk import lookup_chunk, one_of
from ledger.chunks import chunked
from ledger.models import Posting
from ledger.posting import NewPosting, post_many

from .models import BsDelivery

SOURCE = "betalingsservice"


@dataclass(slots=True)
class OrganisationReport:
    """What one import did for one organisation."""

    organisation_cvr: str
    delivery_id: int
    records: int = 0
    payments: int = 0
    paid_oere: int = 0
    rejected: int = 0
    cancelled: int = 0
    charged_back: int = 0
    charged_back_oere: int = 0
    suspense: int = 0
    suspense_oere: int = 0
    mandates: int = 0
    mandates_unmatched: int = 0
    notices: list[str] = field(default_factory=list)

    def notice(self, line: int, text: str) -> None:
        """Something the accountant should know that did not stop the import (at most 1,000)."""
        if len(self.notices) < 1000:
            self.notices.append(f"line {line}: {text}")


@dataclass(slots=True)
class Context:
    """One organisation's part of one delivery, in the caller's transaction."""

    session: Session
    organisation_id: int
    delivery_row: BsDelivery
    import_batch_id: int
    key_prefix: str  # "0602-<serial>"
    today: date
    by: str

    def key(self, line: int) -> str:
        """The idempotency key of the posting a line makes: ``0602-<serial>-<line>``."""
        return f"{self.key_prefix}-{line}"

    @property
    def delivery_id(self) -> int:
        assert self.delivery_row.id is not None
        return self.delivery_row.id

    def post(self, postings: list[NewPosting]) -> dict[str, int]:
        """Post (keys posted before are skipped), bring the allocations in step, and return
        the posting id of every reference, new or not."""
        if not postings:
            return {}
        result = post_many(self.session, postings)
        ids = {ref: posting_id for (_, _, ref), posting_id in result.ids_by_key.items()}
        if result.already_posted:
            missing = [p.external_ref for p in postings if p.external_ref not in ids]
            ids.update(self.ids_of(missing))
        reallocate(self.session, self.organisation_id, result.tenancy_ids)
        return ids

    def ids_of(self, refs: Iterable[str]) -> dict[str, int]:
        """Ids of postings of this source already on the ledger, by external reference."""
        found: dict[str, int] = {}
        for chunk in chunked(sorted(set(refs)), lookup_chunk(self.session)):
            rows = self.session.exec(
                select(Posting.id, Posting.external_ref).where(
                    Posting.organisation_id == self.organisation_id,
                    Posting.source == SOURCE,
                    one_of(self.session, col(Posting.external_ref), chunk),
                )
            )
            for posting_id, ref in rows:
                assert posting_id is not None
                found[ref] = posting_id
        return found
