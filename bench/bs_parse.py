"""Benchmark the Betalingsservice parser on a generated 0602 delivery.

Usage: python bench/bs_parse.py [--records N] [--seed S]

Builds (in memory, with the package's own builder and writer) a 0602 payment-information
delivery of N automatic-payment records, mostly 0236 completed with some 0237 rejected and 0239
charged back, then parses it. Prints records per second (timed without tracing) and the peak
memory the parse allocates (a second, traced parse with ``tracemalloc``) plus the process's peak
resident size, and how fast this machine runs an empty Python loop (to compare figures
between machines). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta

from integrations.betalingsservice import (
    AutomaticPayment,
    PaymentCode,
    Sign,
    build_payment_delivery,
    parse,
    write,
)

CVR = "25313763"
PBS_NUMBER = "01234567"
DEBTOR_GROUP = "00001"
TARGET_RECORDS_PER_SECOND = 300_000


def generate(records: int, seed: int) -> bytes:
    """A 0602 file of ``records`` automatic payments due on the 1st of the month."""
    rng = random.Random(seed)
    due = date(2024, 2, 1)
    payments = [_payment(number, due, rng) for number in range(1, records + 1)]
    delivery = build_payment_delivery(
        data_supplier_cvr=CVR,
        delivery_serial="7000000001",
        created=due + timedelta(days=2),
        payments=payments,
    )
    return write(delivery)


def _payment(number: int, due: date, rng: random.Random) -> AutomaticPayment:
    roll = rng.random()
    code = (
        PaymentCode.REJECTED
        if roll < 0.03
        else PaymentCode.CHARGED_BACK
        if roll < 0.05
        else PaymentCode.COMPLETED
    )
    amount = rng.randrange(250_000, 1_200_000)
    paid = amount if code is not PaymentCode.REJECTED else 0
    actual = due if code is PaymentCode.COMPLETED else due + timedelta(days=30)
    return AutomaticPayment(
        pbs_number=PBS_NUMBER,
        transaction_code=code,
        debtor_group=DEBTOR_GROUP,
        customer_number=f"{number:015d}",
        agreement_number=f"{rng.randrange(10**9):09d}",
        payment_date=due,
        sign=Sign.WITHDRAWAL,
        amount=amount,
        creditor_reference=f"Husleje 02-2024 lejem. {number}",
        actual_payment_date=None if code is PaymentCode.REJECTED else actual,
        bookkeeping_date=None if code is PaymentCode.REJECTED else actual,
        amount_paid=paid,
    )


def empty_loop_ns(iterations: int = 10_000_000) -> float:
    """Nanoseconds per iteration of ``for _ in range(n): pass``: a yardstick of the machine."""
    started = time.process_time()
    for _ in range(iterations):
        pass
    return (time.process_time() - started) / iterations * 1e9


def main(argv: list[str] | None = None) -> int:
    """Generate, parse, report."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--records", type=int, default=1_000_000)
    options.add_argument("--seed", type=int, default=2024)
    options.add_argument("--repeat", type=int, default=3, help="timed parses; the best is shown")
    args = options.parse_args(argv)
    if not 1 <= args.records <= 9_000_000:
        options.error("--records must be within 1..9000000")
    if not 1 <= args.repeat <= 20:
        options.error("--repeat must be within 1..20")

    started = time.perf_counter()
    data = generate(args.records, args.seed)
    gc.collect()
    print(
        f"generated {args.records:,} records, {len(data):,} bytes "
        f"in {time.perf_counter() - started:.1f} s"
    )

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        delivery = parse(data)
        timings.append(time.perf_counter() - started)
        parsed = sum(len(section.records) for section in delivery.sections)
        if parsed != args.records:
            raise SystemExit(f"parsed {parsed} records, expected {args.records}")
        del delivery
        gc.collect()
    rate = args.records / min(timings)
    shown = ", ".join(f"{t:.2f}" for t in timings)
    print(
        f"parse: best {min(timings):.2f} s of [{shown}] s: {rate:,.0f} records/s "
        f"(target {TARGET_RECORDS_PER_SECOND:,})"
    )

    tracemalloc.start()
    delivery = parse(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del delivery
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"parse peak allocation (tracemalloc): {peak / 2**20:,.0f} MiB "
        f"({peak / args.records:,.0f} bytes/record); process max RSS {max_rss_kib / 2**10:,.0f} MiB"
    )
    print(f"machine yardstick: empty Python loop {empty_loop_ns():.0f} ns/iteration")
    if rate < TARGET_RECORDS_PER_SECOND:
        print("below target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
