"""Errors of the desk, mapped to HTTP status codes by the API and the web page."""

from __future__ import annotations


class DeskError(ValueError):
    """The request cannot be done as asked (HTTP 409/422); the message says why."""

    status_code = 409


class NotFound(DeskError):
    """No such object in the caller's organisation (HTTP 404)."""

    status_code = 404


class Forbidden(DeskError):
    """The caller's role does not allow this (HTTP 403)."""

    status_code = 403
