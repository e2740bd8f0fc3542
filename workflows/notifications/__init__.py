"""Municipality notifications (underretninger): the outbox and its delivery (issue #4; ALL § 92,
stk. 2; ABL § 59, stk. 1 and 11-12; RSL § 5 a; domain.md §4).

Modules: ``models`` (the tables), ``outbox`` (``create_notification(s)``: the small API the
arrears and move-out workflows create records through, in their own transaction),
``registry`` (the municipalities' delivery settings and their validation), ``policy`` (pure:
back-off, which answers are final), ``dispatch`` (publish, claim, send, record; senders are
injected), ``envelope`` (the versioned JSON a municipality gets), ``message`` (pure: the
Danish e-mail text), ``api_keys`` and ``pull`` (what the pull API may do). The adapters are in
``integrations/email`` and ``integrations/webhook``, the API in ``app/municipality_api.py``,
the wiring in ``app/notify.py``; ``docs/municipality-api.md`` is the receiving side's manual.

Decisions where the issue was silent:

* **What a notification refers to**: ``arrears_case_id`` or ``moveout_case_id``, exactly one
  (a CHECK constraint ties it to the kind). The PDF it sends is *copied* into
  ``notification_attachment`` with its SHA-256 and its source (``letter:17``,
  ``moveout_document:4``): the outbox row holds exactly what leaves, the dispatcher and the API
  need not know the workflows' tables, and the copy is checked against the original's hash
  when made. Notifications are few (a few per organisation and month), so the copy is cheap.
* **National reference data**: the 98 municipalities stay the shipped CSV
  (``ledger.municipalities``; kommunekoder change only by law), validated in code with a
  range CHECK in the database. ``municipality_delivery`` and ``municipality_api_key`` carry no
  ``organisation_id``, like ``pakrav_fee``: a municipality has one inbox, one webhook and one
  set of keys however many organisations an installation serves, and it reads all of them
  through one key (each envelope names its organisation). Setting them is an operator's task
  (``almen municipality``), not an organisation's. A setting that shares an address or URL
  with another municipality is warned about (a likely copy-paste of the wrong code).
* **Wrong municipality**: the target is looked up by the notification's own code at send time;
  the payload's code, the row's and the target's must agree or nothing is sent (dead letter).
* **No delivery setting** is not "pull only": the dispatcher tries, records an attempt on the
  channel ``none`` that says how to set the municipality up, backs off, and ends as a dead
  letter the accountant sees. Setting the municipality up lets the next round send it.
* **Pull-only** notifications stay ``pending`` until the municipality acknowledges them.
  Acknowledging counts as delivered for *any* municipality (it has it), and stops pushes.
* **Back-off**: 1, 2, 4, ... minutes, at most 6 hours, 10 attempts (``ALMEN_NOTIFY_MAX_ATTEMPTS``),
  measured from the attempts, so a night without ``almen serve`` retries at the next night.
  A dead letter can be put back (``almen notifications retry``), with a fresh count; who put
  it back is kept.
* **Lease**: a claim is the claimant's for 15 minutes; then another dispatcher takes it,
  marks the open attempt ``interrupted`` and sends again with the same key.
* **Feed order**: the pull feed's cursor is ``feed_position``, given after commit under a
  global lock (PostgreSQL advisory lock; SQLite's write lock), never the row id: a nightly
  transaction that commits late cannot slip behind a cursor a municipality already passed.
* **When it is sent**: after each organisation's nightly run commits (``app/nightly.py``),
  every ``ALMEN_DISPATCH_INTERVAL`` seconds in ``almen serve`` (default 15), and at once after
  ``almen cases approve --action evict`` (ALL § 92, stk. 2: no later than the request).
* **Answers** (RSL § 5 a, stk. 3) are for the arrears kinds; a decision is refused without the
  tenant's consent, a meeting date must lie between the notification and today, no CPR.
"""
