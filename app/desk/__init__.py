"""The accountant's desk: what the HTTP API (``/api/v1``) and the web page both do, on behalf
of a logged-in person (``app.auth.http.Access``), each change written to the audit log.

Everything is looked up *within the caller's organisation*: a row of another organisation is
answered as "not found", exactly like one that does not exist.
"""
