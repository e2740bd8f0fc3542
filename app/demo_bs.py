"""Betalingsservice for the demo organisation: settings, and a mandate for every tenancy that
pays by Betalingsservice, taken in as a 0603 delivery the way a real one would be.

After ``almen demo``, try::

    almen bs export --month YYYY-MM --out 0601.txt   # next month's collections
    almen bs suspense list
"""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlmodel import Session

from app import demo
from integrations.betalingsservice import Mandate, MandateCode, build_mandate_delivery, write
from integrations.betalingsservice.agreement import save_settings
from integrations.betalingsservice.importer import ImportReport, import_file
from ledger.registry import require_organisation, tenancy_on

DEMO_PBS_NUMBER = "04815162"
DEMO_DEBTOR_GROUP = "00001"
DEMO_MANDATES_SERIAL = "0000000001"


def betalingsservice_payers(payments_csv: str) -> list[str]:
    """Unit numbers whose payments in the demo came by Betalingsservice, in order."""
    rows = csv.DictReader(io.StringIO(payments_csv), delimiter=";")
    return sorted({row["unit_number"] for row in rows if row["method"] == "betalingsservice"})


def set_up_betalingsservice(session: Session, files: demo.DemoFiles, today: date) -> ImportReport:
    """Settings for the demo organisation and an active mandate per Betalingsservice payer."""
    organisation = require_organisation(session, demo.DEMO_CVR)
    assert organisation.id is not None
    save_settings(
        session,
        organisation,
        pbs_number=DEMO_PBS_NUMBER,
        debtor_group=DEMO_DEBTOR_GROUP,
        data_supplier_cvr=None,
        updated_by="demo",
    )
    mandates = []
    for number, unit in enumerate(betalingsservice_payers(files.payments), start=1):
        tenancy = tenancy_on(session, organisation.id, unit, today)
        customer = tenancy.bs_customer_number or unit
        mandates.append(
            Mandate(
                DEMO_PBS_NUMBER,
                MandateCode.ACTIVE,
                DEMO_DEBTOR_GROUP,
                customer.rjust(15, "0"),  # as BS sends customer numbers
                f"{number:09d}",
                tenancy.start_date,
                None,
            )
        )
    data = write(
        build_mandate_delivery(
            data_supplier_cvr=demo.DEMO_CVR,
            delivery_serial=DEMO_MANDATES_SERIAL,
            created=today,
            mandates=mandates,
        )
    )
    return import_file(session, data, "demo-0603-mandates.txt", today=today, imported_by="demo")
