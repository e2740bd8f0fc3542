"""Benchmark: the nightly run on the påkrav day for a large synthetic organisation.

    .venv/bin/python bench/nightly.py                      # 10,000 and 100,000 tenancies,
                                                           # SQLite and PostgreSQL
    .venv/bin/python bench/nightly.py --sizes 100000 --backends postgresql

Each tenancy pays rent monthly from January 2026 (Betalingsservice, on the due date); about
3 % leave April's rent unpaid. The previous nightly run is recorded for 8 April, so the measured
run is exactly the night of 9 April 2026, the earliest påkrav day for rent due 1 April: it
checks April's recurring charges (all posted already), finds the arrears, opens the cases,
posts the fees, renders and stores one påkrav per case, makes the municipality notifications
(first-year assigned tenants) and the day's print file (tenants on paper), and commits.

The data is loaded outside the measurement (COPY on PostgreSQL, executemany on SQLite). The
nightly run itself runs in a fresh subprocess, so the peak memory printed is its own.
Letters are rendered by ``app.letters.render_letter`` (the placeholder until the real renderer
lands).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from app.database import make_engine, unit_of_work
from app.migrate import upgrade_to_head
from ledger.charge_types import RENT
from ledger.fee_table import sync_shipped_fees
from ledger.registry import create_organisation, department
from ledger.types import MaintenanceScheme

CVR = "13585628"
AS_OF = date(2026, 4, 9)
MONTHS = (1, 2, 3, 4)
PG_SERVER = os.environ.get("ALMEN_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
NOW = datetime(2026, 4, 8, 23, 0, tzinfo=UTC)
CHUNK = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--unpaid", type=float, default=0.03)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/almen-bench"))
    parser.add_argument(
        "--repeat", type=int, default=3, help="measured runs per size, each on a fresh copy"
    )
    run = sub.add_parser("run", help="(internal) the measured nightly run")
    run.add_argument("--url", required=True)
    args = parser.parse_args()
    if args.command == "run":
        print(json.dumps(measure(args.url)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for backend in args.backends.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            url = database(backend, size, args.workdir)
            started = time.perf_counter()
            build(url, size, args.unpaid)
            built = time.perf_counter() - started
            runs = []
            for attempt in range(args.repeat):
                copy = clone(url, attempt)
                runs.append(
                    json.loads(
                        subprocess.run(
                            [sys.executable, __file__, "run", "--url", copy],
                            check=True, capture_output=True, text=True,
                        ).stdout
                    )
                )  # fmt: skip
                drop(copy)
            runs.sort(key=lambda run: run["wall_s"])
            result = dict(runs[0])
            result.update(
                backend=backend, tenancies=size, setup_s=round(built, 1),
                walls=[run["wall_s"] for run in runs],
            )  # fmt: skip
            rows.append(result)
            print_row(result)
            drop(url)
    print()
    for backend in args.backends.split(","):
        mine = sorted((r for r in rows if r["backend"] == backend), key=lambda r: r["tenancies"])
        if len(mine) >= 2:
            small, large = mine[0], mine[-1]
            print(
                f"{backend}: {large['tenancies'] // small['tenancies']}x the tenancies took "
                f"{large['wall_s'] / small['wall_s']:.1f}x the time "
                f"({small['wall_s'] / small['tenancies'] * 1e6:.0f} vs "
                f"{large['wall_s'] / large['tenancies'] * 1e6:.0f} µs per tenancy)"
            )


def print_row(r: dict[str, Any]) -> None:
    print(
        f"{r['backend']:<10} {r['tenancies']:>7} tenancies: wall {r['wall_s']:6.1f} s, "
        f"peak RSS {r['peak_rss_mb']:5.0f} MB, {r['pakrav']} påkrav, {r['letters_per_s']:6.0f} "
        f"letters/s, {r['notifications']} notifications, print file {r['printed']} letters "
        f"(setup {r['setup_s']} s)",
        flush=True,
    )
    print(f"    all runs (s): {r['walls']} (best shown)", flush=True)
    print("    phases (s): " + ", ".join(f"{k} {v}" for k, v in r["phases"].items()), flush=True)


PHASES = (
    ("workflows.arrears.nightly", "_post_charges"),
    ("workflows.arrears.nightly", "candidate_tenancies"),
    ("workflows.arrears.nightly", "load_tenancy_facts"),
    ("workflows.arrears.nightly", "load_cases"),
    ("workflows.arrears.nightly", "debtor_lines"),
    ("workflows.arrears.nightly", "statement"),
    ("workflows.arrears.nightly", "open_cases"),
    ("workflows.arrears.nightly", "apply_moves"),
    ("workflows.arrears.pakrav", "_post_fees"),
    ("workflows.arrears.pakrav", "_update_cases"),
    ("workflows.arrears.letters", "render_checked"),
    ("workflows.arrears.pakrav", "store_letters"),
    ("workflows.arrears.pakrav", "_notify"),
    ("workflows.arrears.nightly", "make_print_batch"),
)


def _timed(phases: dict[str, float]) -> None:
    """Wrap the run's main steps with timers (the figures printed per phase)."""
    import importlib

    for module_name, name in PHASES:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def wrapper(*args: Any, __f: Any = original, __n: str = name, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return __f(*args, **kwargs)
            finally:
                phases[__n] = phases.get(__n, 0.0) + time.perf_counter() - started

        setattr(module, name, wrapper)


def measure(url: str) -> dict[str, Any]:
    from app.nightly import nightly_deps, run_nightly

    phases: dict[str, float] = {}
    _timed(phases)
    engine = make_engine(url)
    started = time.perf_counter()
    summaries = run_nightly(lambda: unit_of_work(engine), AS_OF, nightly_deps())
    wall = time.perf_counter() - started
    summary = summaries[0]
    assert summary["status"] == "done", summary
    peak_kb = peak_rss_kb()
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": peak_kb / 1024,
        "pakrav": summary["pakrav_issued"],
        "letters_per_s": summary["pakrav_issued"] / wall,
        "notifications": summary["notifications_created"],
        "printed": summary["letters_printed"],
        "phases": {name: round(seconds, 2) for name, seconds in phases.items()},
    }


def peak_rss_kb() -> int:
    """This process's own peak resident memory. ``ru_maxrss`` would not do: after fork+exec
    Linux carries the parent's high-water mark into the child's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux


def database(backend: str, size: int, workdir: Path) -> str:
    if backend == "sqlite":
        path = workdir / f"bench-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = f"almen_bench_{size}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return f"{PG_SERVER}/{name}"


def clone(url: str, attempt: int) -> str:
    """A copy of the built database for one measured run."""
    if url.startswith("sqlite"):
        source = Path(url.removeprefix("sqlite:///"))
        import sqlite3

        with sqlite3.connect(source) as connection:  # everything into the main file first
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = source.with_name(f"{source.stem}-run{attempt}.db")
        target.write_bytes(source.read_bytes())
        return f"sqlite:///{target}"
    name = url.rsplit("/", 1)[1]
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}_run" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}_run" TEMPLATE "{name}"')
    admin.dispose()
    return f"{PG_SERVER}/{name}_run"


def drop(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[1]
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def build(url: str, size: int, unpaid_share: float) -> None:
    engine = make_engine(url)
    upgrade_to_head(engine)
    with unit_of_work(engine) as session:
        sync_shipped_fees(session)
        org = create_organisation(
            session, cvr=CVR, name="Bench Boligselskab", ledger_start=date(2026, 1, 1),
            address="Benchvej 1", postcode="8000", city="Aarhus C",
        )  # fmt: skip
        dept = department(session, org.id or 0, "Afd. 1", MaintenanceScheme.A)
        from sqlmodel import select

        from ledger.models import ChargeType

        rent = session.exec(
            select(ChargeType).where(ChargeType.organisation_id == org.id, ChargeType.code == RENT)
        ).one()
        org_id, dept_id, rent_type = org.id or 0, dept.id or 0, rent.id or 0
    rnd = random.Random(size)
    unpaid = set(rnd.sample(range(1, size + 1), round(size * unpaid_share)))
    loader = Loader(engine)
    loader.load("unit", UNIT, units(org_id, dept_id, size))
    loader.load("tenant", TENANT, ((i, org_id, f"Lejer {i}", None) for i in ids(size)))
    loader.load("tenancy", TENANCY, tenancies(org_id, size, rnd))
    loader.load("tenancy_tenant", TT, ((org_id, i, i, 1) for i in ids(size)))
    loader.load("recurring_charge", RC, recurring(org_id, rent_type, size))
    loader.load("posting", POSTING, postings(org_id, size, unpaid))
    loader.load("ledger_entry", ENTRY, entries(org_id, rent_type, size, unpaid))
    loader.load("allocation", ALLOCATION, allocations(org_id, size, unpaid))
    loader.load("nightly_run", RUN, [(1, org_id, date(2026, 4, 8), date(2026, 4, 8), NOW, NOW,
                                      "bench", "{}")])  # fmt: skip
    loader.finish()
    engine.dispose()


UNIT = ("id", "organisation_id", "department_id", "unit_number", "kind", "address", "postcode",
        "city", "municipality_code")  # fmt: skip
TENANT = ("id", "organisation_id", "name", "cpr")
TENANCY = ("id", "organisation_id", "unit_id", "start_date", "end_date", "municipally_assigned",
           "delivery_channel", "digital_post_exempt", "bs_customer_number", "deposit_kind",
           "deposit_oere", "children_in_household", "created_at")  # fmt: skip
TT = ("organisation_id", "tenancy_id", "tenant_id", "position")
RC = ("id", "organisation_id", "tenancy_id", "charge_type_id", "amount_oere", "due_day",
      "valid_from", "valid_to")  # fmt: skip
POSTING = ("id", "organisation_id", "kind", "booking_date", "source", "external_ref", "text",
           "reverses_posting_id", "import_batch_id", "created_at", "created_by")  # fmt: skip
ENTRY = ("id", "organisation_id", "posting_id", "account", "tenancy_id", "charge_type_id",
         "amount_oere", "due_date", "value_date", "method", "reverses_entry_id",
         "text")  # fmt: skip
ALLOCATION = ("organisation_id", "tenancy_id", "credit_entry_id", "debit_entry_id", "amount_oere")
RUN = ("id", "organisation_id", "as_of", "first_day", "started_at", "finished_at", "actor",
       "summary")  # fmt: skip


def ids(size: int) -> range:
    return range(1, size + 1)


def rent_of(i: int) -> int:
    return 400_000 + (i % 37) * 10_000


def units(org_id: int, dept_id: int, size: int) -> Iterator[tuple[Any, ...]]:
    kinds = ("familie",) * 8 + ("ungdom", "aeldre")
    for i in ids(size):
        yield (i, org_id, dept_id, f"B-{i:06d}", kinds[i % 10], f"Benchvej {i}", "8000",
               "Aarhus C", 751)  # fmt: skip


def tenancies(org_id: int, size: int, rnd: random.Random) -> Iterator[tuple[Any, ...]]:
    for i in ids(size):
        recent = i % 20 == 0  # 5 % moved in during the last year
        start = date(2025, 10, 1) if recent else date(2020, 1, 1)
        assigned = recent and i % 40 == 0
        channel = "letter" if i % 10 == 3 else "digital_post"
        yield (i, org_id, i, start, None, assigned, channel, False, f"B-{i:06d}", "indskud",
               2_000_000, None, NOW)  # fmt: skip


def recurring(org_id: int, rent_type: int, size: int) -> Iterator[tuple[Any, ...]]:
    for i in ids(size):
        yield (i, org_id, i, rent_type, rent_of(i), 1, date(2020, 1, 1), None)


def _ids(i: int, month_index: int) -> tuple[int, int]:
    """Posting ids of tenancy i's charge and payment in a month (fixed, so entries can refer)."""
    base = (month_index * 2) * 10_000_000
    return base + i, base + 10_000_000 + i


def postings(org_id: int, size: int, unpaid: set[int]) -> Iterator[tuple[Any, ...]]:
    for m, month in enumerate(MONTHS):
        due = date(2026, month, 1)
        for i in ids(size):
            charge_id, payment_id = _ids(i, m)
            yield (charge_id, org_id, "charge", due, "recurring", f"{i}:2026-{month:02d}",
                   "Husleje", None, None, NOW, "bench")  # fmt: skip
            if not (month == 4 and i in unpaid):
                yield (payment_id, org_id, "payment", due, "payments:betalingsservice",
                       f"BS-{i}-{month}", "Indbetaling", None, None, NOW, "bench")  # fmt: skip


def entries(org_id: int, rent_type: int, size: int, unpaid: set[int]) -> Iterator[tuple[Any, ...]]:
    for m, month in enumerate(MONTHS):
        due = date(2026, month, 1)
        paid = max(due, date(2026, month, 2) if due.weekday() >= 5 else due)
        for i in ids(size):
            charge_id, payment_id = _ids(i, m)
            amount = rent_of(i)
            yield (charge_id * 2, org_id, charge_id, "debtor", i, rent_type, amount, due, None,
                   None, None, "Husleje")  # fmt: skip
            yield (charge_id * 2 + 1, org_id, charge_id, "income", None, rent_type, -amount,
                   None, None, None, None, "Husleje")  # fmt: skip
            if not (month == 4 and i in unpaid):
                yield (payment_id * 2, org_id, payment_id, "debtor", i, None, -amount, None, paid,
                       "betalingsservice", None, "Indbetaling")  # fmt: skip
                yield (payment_id * 2 + 1, org_id, payment_id, "bank", None, None, amount, None,
                       paid, "betalingsservice", None, "Indbetaling")  # fmt: skip


def allocations(org_id: int, size: int, unpaid: set[int]) -> Iterator[tuple[Any, ...]]:
    for m, month in enumerate(MONTHS):
        for i in ids(size):
            if month == 4 and i in unpaid:
                continue
            charge_id, payment_id = _ids(i, m)
            yield (org_id, i, payment_id * 2, charge_id * 2, rent_of(i))


class Loader:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite (one transaction)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.sqlite = engine.dialect.name == "sqlite"
        self.raw = engine.raw_connection()
        self.loaded: list[str] = []
        if self.sqlite:
            self.raw.cursor().execute("BEGIN")

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        cursor = self.raw.cursor()
        names = ", ".join(columns)  # table and column names are this file's constants
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(_sqlite(value) for value in row))
                if len(batch) == CHUNK:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        else:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        self.loaded.append(table)

    def finish(self) -> None:
        cursor = self.raw.cursor()
        if self.sqlite:
            cursor.execute("COMMIT")
            cursor.execute("ANALYZE")
        else:
            for table in self.loaded:
                if table not in ("tenancy_tenant", "allocation"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
            self.raw.commit()
            # Settle the freshly loaded tables, so autovacuum does not compete for the two
            # cores during the measured run (a production database is vacuumed).
            self.raw.driver_connection.autocommit = True  # type: ignore[attr-defined]
            cursor.execute("VACUUM ANALYZE")
        self.raw.close()


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


if __name__ == "__main__":
    main()
