"""The demo organisation pays by Betalingsservice: its 0601 parses back to what was recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from app import demo
from app.demo_bs import DEMO_PBS_NUMBER, betalingsservice_payers
from integrations.betalingsservice import Collection, TextLine, parse
from integrations.betalingsservice.models import BsCollection, BsMandate, MandateStatus
from ledger.money import parse_kroner
from tests.cli import Runner

TODAY = date(2026, 11, 21)


def test_the_demo_0601_parses_back_to_the_same_collections(
    session: Session, cli: Runner, tmp_path: Path
) -> None:
    made = cli("demo", "--files", str(tmp_path / "files"), "--as-of", TODAY.isoformat())
    assert made.code == 0, made.err
    payers = betalingsservice_payers(demo.generate(TODAY).payments)
    mandates = session.exec(select(BsMandate)).all()
    assert len(mandates) == len(payers) > 150
    assert all(m.status is MandateStatus.ACTIVE and m.tenancy_id for m in mandates)

    out = tmp_path / "0601-2026-12.txt"
    result = cli("bs", "export", "--month", "2026-12", "--out", str(out), "--json", today=TODAY)
    assert result.code == 0, result.err
    delivery = parse(out.read_bytes())
    assert delivery.sections[0].pbs_number == DEMO_PBS_NUMBER
    parsed = [r for r in delivery.records() if isinstance(r, Collection)]
    recorded = session.exec(select(BsCollection).order_by(col(BsCollection.id))).all()
    assert [
        (r.customer_number, r.agreement_number, r.payment_date, r.amount, r.creditor_reference)
        for r in parsed
    ] == [
        (c.customer_number, c.agreement_number, c.payment_date, c.amount_oere, c.creditor_reference)
        for c in recorded
    ]
    assert len(parsed) == len(payers) == result.json()["collections"]
    assert all(r.payment_date == date(2026, 12, 1) for r in parsed)  # a Tuesday
    # Each collection's text lines specify its charges and add up to its amount.
    texts: dict[str, list[str]] = {}
    for record in delivery.records():
        if isinstance(record, TextLine):
            texts.setdefault(record.customer_number, []).append(record.text)
    for collection in parsed:
        lines = texts[collection.customer_number]
        assert any(line.startswith("Husleje december 2026  ") for line in lines)
        total = sum(parse_kroner(line.rsplit("  ", 1)[1]) for line in lines)
        assert total == collection.amount
