"""Underretninger til kommunen (municipality notifications) with delivery status and attempts.

One row per notification created on or before ``as_of``. The status is the notification's
status now (the outbox keeps no status history); attempts are every delivery attempt recorded
(``notification_attempt``), also those before a person put it back in the queue.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col

from ledger.municipalities import municipality_names
from reports.common import frame, homes, scope
from reports.labels import CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_STATUSES
from reports.letters.danish import municipality_display_name
from reports.model import Chart, Report, Table
from workflows.notifications.models import (
    Channel,
    Notification,
    NotificationAttempt,
    NotificationKind,
    NotificationStatus,
)

NAME = "notifications"
TITLE = "Underretninger til kommunen"
CREATED = "Oprettet"
MUNICIPALITY = "Kommune"
KIND = "Type"
UNIT = "Lejemål"
STATUS = "Status"
ATTEMPTS = "Forsøg"
DELIVERED = "Afleveret"
VIA = "Via"
REASON = "Bemærkning"
COLUMNS = [CREATED, MUNICIPALITY, KIND, UNIT, STATUS, ATTEMPTS, DELIVERED, VIA, REASON]


def attempts_by_notification(session: Session, organisation_id: int) -> dict[int, int]:
    query = (
        sa.select(col(NotificationAttempt.notification_id), sa.func.count())
        .where(col(NotificationAttempt.organisation_id) == organisation_id)
        .group_by(col(NotificationAttempt.notification_id))
    )
    return {notification_id: int(n) for notification_id, n in session.execute(query)}


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    query = (
        sa.select(Notification)
        .options(defer(cast("QueryableAttribute[Any]", Notification.payload)))  # not shown
        .where(
            col(Notification.organisation_id) == organisation_id,
            col(Notification.created_on) <= as_of,
        )
        .order_by(col(Notification.created_on), col(Notification.id))
    )
    notifications = list(session.execute(query).scalars())
    attempts = attempts_by_notification(session, organisation_id)
    units = homes(session, organisation_id)
    names = municipality_names()
    rows: list[dict[str, object]] = []
    by_status: dict[NotificationStatus, int] = defaultdict(int)
    for n in notifications:
        assert n.id is not None
        by_status[n.status] += 1
        home = units.get(n.tenancy_id)
        municipality = names.get(n.municipality_code, str(n.municipality_code))
        rows.append(
            {
                CREATED: n.created_on,
                MUNICIPALITY: municipality_display_name(municipality),
                KIND: NOTIFICATION_KINDS[NotificationKind(n.kind)],
                UNIT: home.unit_number if home else "",
                STATUS: NOTIFICATION_STATUSES[NotificationStatus(n.status)],
                ATTEMPTS: attempts.get(n.id, 0),
                DELIVERED: n.delivered_at.date() if n.delivered_at else None,
                VIA: CHANNELS[Channel(n.delivered_via)] if n.delivered_via else "",
                REASON: n.dead_letter_reason or "",
            }
        )
    totals = {"notifications": len(notifications)}
    labels = {"notifications": "Underretninger i alt"}
    for status in NotificationStatus:
        totals[status.value] = by_status[status]
        labels[status.value] = NOTIFICATION_STATUSES[status]
    totals["attempts"] = sum(attempts.get(n.id or 0, 0) for n in notifications)
    labels["attempts"] = "Afleveringsforsøg i alt"
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table("Underretninger", frame(rows, COLUMNS), date_columns=(CREATED, DELIVERED)),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Underretninger pr. status",
            tuple(NOTIFICATION_STATUSES[s] for s in NotificationStatus),
            tuple(by_status[s] for s in NotificationStatus),
            money=False,
        ),
        notes=(
            "Status er underretningens status nu; afleveringsdato i UTC. Forsøg: alle "
            "registrerede afleveringsforsøg.",
        ),
    )
