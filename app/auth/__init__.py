"""Users, roles, sessions and API tokens, and the audit log of the accountant's desk.

A user (``app_user``) is a person; a membership gives them one role in one organisation
(several rows for several roles or organisations). Whatever they do is checked against the
organisation it touches: a user sees nothing of an organisation they are not a member of.

- ``models.py``: the tables. ``passwords.py``: Argon2id hashing.
- ``service.py``: create users, grant roles, log in, open and resolve sessions and tokens.
- ``roles.py``: what each role may do. ``audit.py``: the audit log (who, when, what,
  before/after) that every state change through the API or the web page writes.
- ``http.py``: FastAPI dependencies (cookie or bearer token; CSRF on cookie requests).
"""
