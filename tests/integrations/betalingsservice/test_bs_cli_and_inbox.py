"""``almen bs import`` and the inbox: bad files are refused whole, good ones filed away after
the commit, and a crash in between does no harm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs_ledger import (
    CVR,
    RENT,
    automatic,
    bs_organisation,
    counts,
    file_0602,
    file_0603,
    mandate,
    snapshot,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.database import unit_of_work
from integrations.betalingsservice import PaymentCode
from integrations.betalingsservice.inbox import Outcome, file_away, take_in
from ledger.registry import require_organisation
from tests import factories
from tests.cli import Runner

PAID = date(2026, 4, 1)
OTHER_PBS = "07654321"


def _good() -> bytes:
    return file_0602(
        [
            automatic(PaymentCode.COMPLETED, "1-101", PAID),
            automatic(PaymentCode.COMPLETED, "1-102", PAID),
            automatic(PaymentCode.REJECTED, "1-103", PAID),
        ],
        "0000000401",
        PAID,
    )


def _lines(data: bytes) -> list[str]:
    return data.decode("latin-1").splitlines()


def _put(lines: list[str], number: int, start: int, text: str) -> bytes:
    changed = list(lines)
    line = changed[number - 1]
    changed[number - 1] = line[: start - 1] + text + line[start - 1 + len(text) :]
    return "".join(f"{line}\r\n" for line in changed).encode("latin-1")


def _other_pbs(lines: list[str]) -> bytes:
    """The whole section moved to a PBS number no organisation has."""
    changed = [line[:5] + OTHER_PBS + line[13:] if 2 <= n <= 6 else line
               for n, line in enumerate(lines, start=1)]  # fmt: skip
    return "".join(f"{line}\r\n" for line in changed).encode("latin-1")


def _setup(session: Session) -> None:
    organisation = bs_organisation(session)
    for unit in ("1-101", "1-102", "1-103"):
        factories.tenancy(session, organisation, unit)
    session.commit()


BAD_FILES = {
    "truncated": (lambda data: "".join(f"{x}\r\n" for x in _lines(data)[:-1]).encode("latin-1"),
                  "line 6, field record_type: the file ends without BS992"),
    "wrong BS092 count": (lambda data: _put(_lines(data), 6, 32, "00000000004"),
                          "line 6, field count_042: the section adds up to 3, but the record says"),
    "unknown transaction code": (lambda data: _put(_lines(data), 4, 14, "0250"),
                                 "line 4, field transaction_code: unknown code '0250'"),
    "unknown PBS number": (lambda data: _other_pbs(_lines(data)),
                           "line 2, field pbs_number: no organisation has Betalingsservice"),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_with_line_and_field_and_nothing_changes(
    session: Session, cli: Runner, tmp_path: Path, kind: str
) -> None:
    _setup(session)
    spoil, message = BAD_FILES[kind]
    path = tmp_path / "bad.txt"
    path.write_bytes(spoil(_good()))
    before = counts(session), snapshot(session, "bs_settings")
    result = cli("bs", "import", str(path))
    assert result.code == 1
    assert message in result.err, result.err
    assert (counts(session), snapshot(session, "bs_settings")) == before


def test_cli_import_reports_and_a_second_import_says_so(
    session: Session, cli: Runner, tmp_path: Path
) -> None:
    _setup(session)
    path = tmp_path / "0602-401.txt"
    path.write_bytes(_good())
    first = cli("bs", "import", str(path), "--json")
    assert first.code == 0, first.err
    report = first.json()
    assert report["already_imported"] is False
    [org] = report["organisations"]
    assert (org["payments"], org["paid_oere"], org["rejected"]) == (2, 2 * RENT, 0)
    assert "line 5: 0237 for a collection we have no record of" in org["notices"][0]
    second = cli("bs", "import", str(path))
    assert second.code == 0
    assert "imported before, nothing changed" in second.out


def _folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    inbox, archive, errors = (tmp_path / name for name in ("inbox", "archive", "errors"))
    inbox.mkdir()
    return inbox, archive, errors


def test_the_inbox_archives_good_files_and_reports_rejected_ones(
    session: Session, tmp_path: Path
) -> None:
    _setup(session)
    inbox, archive, errors = _folders(tmp_path)
    (inbox / "a-good.txt").write_bytes(_good())
    (inbox / "b-bad.txt").write_bytes(BAD_FILES["unknown transaction code"][0](_good()))
    (inbox / "c-mandates.txt").write_bytes(
        file_0603([mandate("1-101", date(2025, 1, 1))], "0000000402", PAID)
    )
    (inbox / "d-uploading.part").write_bytes(b"BS002")
    result = take_in(session, inbox, today=PAID, imported_by="nightly")
    assert [(f.path.name, f.outcome) for f in result.files] == [
        ("a-good.txt", Outcome.IMPORTED),
        ("b-bad.txt", Outcome.REJECTED),
        ("c-mandates.txt", Outcome.IMPORTED),
    ]
    session.commit()
    moved = file_away(result, archive, errors)
    assert sorted(p.name for p in archive.iterdir()) == ["a-good.txt", "c-mandates.txt"]
    assert sorted(p.name for p in errors.iterdir()) == ["b-bad.txt", "b-bad.txt.report.txt"]
    report = (errors / "b-bad.txt.report.txt").read_text(encoding="utf-8")
    assert "line 4, field transaction_code: unknown code '0250'" in report
    assert [p.name for p in inbox.iterdir()] == ["d-uploading.part"]
    assert len(moved) == 3


def test_an_organisation_run_leaves_other_organisations_files(
    session: Session, tmp_path: Path
) -> None:
    _setup(session)
    bs_organisation(session, cvr=factories.OTHER_CVR, pbs=OTHER_PBS)
    inbox, archive, errors = _folders(tmp_path)
    ours = _good()
    theirs = file_0602(
        [automatic(PaymentCode.COMPLETED, "1-101", PAID, pbs=OTHER_PBS)], "0000000403", PAID
    )
    (inbox / "ours.txt").write_bytes(ours)
    (inbox / "theirs.txt").write_bytes(theirs.replace(CVR.encode(), factories.OTHER_CVR.encode()))
    organisation = require_organisation(session, CVR)
    result = take_in(
        session, inbox, today=PAID, imported_by="nightly", organisation_id=organisation.id
    )
    outcomes = {f.path.name: (f.outcome, f.note) for f in result.files}
    assert outcomes == {
        "ours.txt": (Outcome.IMPORTED, ""),
        "theirs.txt": (Outcome.SKIPPED, "another organisation's delivery"),
    }
    file_away(result, archive, errors)
    assert [p.name for p in inbox.iterdir()] == ["theirs.txt"]


def test_a_crash_between_commit_and_move_is_harmless(fresh_engine: Engine, tmp_path: Path) -> None:
    with unit_of_work(fresh_engine) as session:
        _setup(session)
    inbox, archive, errors = _folders(tmp_path)
    (inbox / "0602.txt").write_bytes(_good())
    with unit_of_work(fresh_engine) as session:
        first = take_in(session, inbox, today=PAID, imported_by="nightly")
    assert first.count(Outcome.IMPORTED) == 1
    # ... the process dies here, before file_away: the file is still in the inbox.
    with unit_of_work(fresh_engine) as session:
        before = counts(session)
        second = take_in(session, inbox, today=PAID, imported_by="nightly")
        assert counts(session) == before
    assert [f.outcome for f in second.files] == [Outcome.ALREADY_IMPORTED]
    file_away(second, archive, errors)
    assert [p.name for p in archive.iterdir()] == ["0602.txt"]
    assert list(inbox.iterdir()) == []


def test_cli_inbox_uses_the_configured_folders(
    session: Session, cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(session)
    inbox, archive, errors = _folders(tmp_path)
    monkeypatch.setenv("ALMEN_BS_INBOX", str(inbox))
    monkeypatch.setenv("ALMEN_BS_ARCHIVE", str(archive))
    monkeypatch.setenv("ALMEN_BS_ERRORS", str(errors))
    (inbox / "good.txt").write_bytes(_good())
    result = cli("bs", "inbox", "--json")
    assert result.code == 0, result.err
    [shown] = result.json()["files"]
    assert (shown["file"], shown["outcome"]) == ("good.txt", "imported")
    assert (archive / "good.txt").exists()
    empty = cli("bs", "inbox")
    assert empty.code == 0 and "no files waiting" in empty.out


def test_two_imports_of_one_file_at_once_book_it_once(fresh_engine: Engine) -> None:
    """The organisation's lock, then the serial check: the second import waits and finds it
    imported (PostgreSQL: SELECT ... FOR UPDATE; SQLite: BEGIN IMMEDIATE)."""
    from concurrent.futures import ThreadPoolExecutor

    from integrations.betalingsservice.importer import import_file

    with unit_of_work(fresh_engine) as session:
        _setup(session)
    data = _good()

    def run(name: str) -> bool:
        with unit_of_work(fresh_engine) as session:
            report = import_file(session, data, name, today=PAID, imported_by=name)
            return report.already_imported

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(run, ["first", "second"]))
    assert outcomes == [False, True]
    with unit_of_work(fresh_engine) as session:
        assert counts(session)["bs_delivery"] == 1
        assert counts(session)["posting"] == 2  # the two 0236 payments, once
