"""The arrears workflow (restance): påkrav, termination, eviction request, municipality
notifications, payment plans and the nightly run (issue #3; domain.md §2-4; ALL §§ 90-92,
ABL § 59, stk. 11-12).

Modules: ``rules`` (pure legal rules, each citing its paragraph), ``states`` (the state machine
as data), ``planner`` (pure: what to do with one tenancy on one day), ``service`` (loading and
state changes), ``pakrav`` (giving påkrav in bulk), ``approvals`` (what needs a person),
``plans`` (afdragsordninger), ``letters`` (letter data, storage, print file), ``notifications``
(the payloads and keys of its municipality notifications; the outbox and their delivery are
``workflows.notifications``), ``config`` (per-organisation settings), ``nightly`` (the run),
``models``.

Decisions where the law and the issue are silent (the law wins over domain.md; where we chose,
we chose the tenant's side):

* **Minimum arrears** (§ 91, stk. 1, "uvæsentlig"): default 500 kr, per organisation. Whether
  arrears are insignificant is a court's judgement; the setting only decides when almen acts by
  itself. A *low* minimum is not the tenant's safe side: each påkrav costs the tenant the fee
  (335 kr in 2026), so a påkrav for 100 kr demands 435 kr, and a termination built on it would
  likely fail as insignificant anyway. A higher minimum costs the landlord nothing in law (a
  påkrav one day late is still valid), and the arrears stay on the account and in the
  reports. 500 kr keeps every påkrav larger than its own fee for years of indexation. The
  minimum applies per due date (what the påkrav would demand), before the påkrav and again
  before asking to terminate; a tenant a little short every month never gets a påkrav: the
  reports must show that.
* **Digital Post connected** defaults to *yes* (as decided for the issue). Assuming Digital Post
  for an organisation that is not connected would date deadlines a week too early, so a run
  without stored settings warns in its summary. A tenant registered for letters gets a letter
  even where Digital Post would be allowed (later arrival, later deadline).
* **Physical letters**: arrival = ``letter_arrival_bank_days`` (default 5) bank days after the
  day it is printed. The nightly run makes the påkrav and the day's print file in the same run,
  so a påkrav's dispatch day is its print day.
* **The påkrav demands** the unpaid pligtige items of its own due date, as the ledger's
  allocation (oldest due first) leaves them on the dispatch day, plus its own fee. It never
  includes earlier påkrav fees (domain.md §3 allows it, but each fee is already demanded by the
  påkrav that charged it; demanding it twice, or again after a person closed that case, is
  demanding more than needed). A fee never opens a case of its own (no fee for a fee).
* **The fee** is posted as a pligtig ``PAKRAVSGEBYR`` charge due on the dispatch day, for the
  dispatch year (a påkrav caught up over New Year gets the new year's fee), with the posting key
  ``pakrav`` / ``case:<id>``: one fee per case, ever. An unconfirmed year is warned about.
* **Cases** open the first night after the last timely payment day when the due date's unpaid
  pligtige items reach the minimum, for due dates on or after ``cases_from`` (default: the
  organisation's ledger start, so arrears the old system already handled never get a second
  påkrav at go-live). A tenancy that has ended gets no new case and no påkrav.
* **Cleared** (§ 91, stk. 2) means every item the påkrav demanded (its fee included) is paid,
  judged by payment date. When a person approves a termination, a payment the ledger knows of
  counts whatever its date. A case whose arrears come back after ``closed_paid`` (a charge-back)
  gets a *new* case (next ``sequence``) with a new påkrav and fee: the tenant gets a fresh 14
  days rather than a termination on a påkrav the tenant had met. Due dates a person closed
  (settled, written off, rejected) are not reopened.
* **Catch-up**: missed days are processed in date order (at most 62); letters, fees and
  notifications are made only for the run's own day, with their dates counted from it. A run
  for a day before the last run is refused (it would backdate), and the CLI refuses the future.
* **Charges**: each night posts the current month's recurring charges and, from 14 days before
  the 1st, the next month's (so Betalingsservice can collect them); posting is idempotent.
* **Held påkrav** (per organisation): approving moves the case to ``pakrav_approved``; the next
  nightly run gives the påkrav, dated that day, in that day's print file.
* **Termination** is given when a person approves it (dated that day). A physical termination is
  printed by the next nightly run; if the arrears were paid before it was printed, the letter is
  withheld and the case closed as paid (§ 91, stk. 2). An assigned plejebolig needs
  ``--rehousing-confirmed`` (§ 90, stk. 3).
* **Eviction request** only after the termination has arrived (Digital Post: the day sent; a
  letter: print day + the configured bank days), never for paid arrears, and only with a
  bailiff court configured. It lists every overdue pligtig item of the tenancy; the § 92, stk. 2
  notification is made in the same transaction.
* **§ 59, stk. 11**: the first year includes the anniversary day itself (notifying once too
  often costs nothing; missing one breaks the law). Familie- and ungdomsboliger only.
* **After the deadline, below the minimum** (e.g. only the fee unpaid): the case stays
  ``pakrav_sent`` and the run counts it (``notes.below_threshold_after_deadline``); a person
  closes it.
* **Payment plans**: see ``plans.py``. A missed instalment sends the cases back where the law's
  clock has them (the påkrav's dates stand); whether a termination on the original påkrav holds
  after a plan depends on the plan's wording, which a person checks at approval.
* **Locking**: PostgreSQL advisory lock per organisation (waits up to ``--wait``, then skips and
  says so); SQLite's ``BEGIN IMMEDIATE`` is a database-wide write lock, the equivalent. Unique
  keys (case per tenancy/due date/sequence, letter per case/kind, fee posting key,
  notification idempotency key) are a second line: a run that slipped past the lock fails
  rather than doubles.
* **Layering**: ``letters.py`` builds the letter data of ``letter_data.py`` (frozen dataclasses,
  standard library only); ``reports.letters`` draws them. The renderer and the PDF combiner are
  injected from ``app/letters.py``, so ``workflows`` never imports ``reports``.
"""
