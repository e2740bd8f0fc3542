"""Roles and what they may do (issue 7: accountant, approver, auditor, admin)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ACCOUNTANT = "accountant"  # day-to-day: imports, uploads, plans, move-outs
    APPROVER = "approver"  # may approve terminations (ophævelse) and evictions (udsættelse)
    AUDITOR = "auditor"  # read-only (revisor)
    ADMIN = "admin"  # users, settings, fee table


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"
    APPROVE = "approve"
    ADMIN = "admin"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.AUDITOR: frozenset({Permission.READ}),
    Role.ACCOUNTANT: frozenset({Permission.READ, Permission.WRITE}),
    Role.APPROVER: frozenset({Permission.READ, Permission.WRITE, Permission.APPROVE}),
    Role.ADMIN: frozenset({Permission.READ, Permission.WRITE, Permission.ADMIN}),
}
"""An approver also does the day-to-day work; an admin does not approve unless they also hold
the approver role (separation of duties: whoever manages users cannot by that alone approve
a termination)."""

DANISH_ROLE = {
    Role.ACCOUNTANT: "bogholder",
    Role.APPROVER: "godkender",
    Role.AUDITOR: "revisor",
    Role.ADMIN: "administrator",
}


def permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= GRANTS[role]
    return frozenset(granted)
