"""The PDFs: determinism, checksums, long content staying on the page, the print file."""

import hashlib
import itertools
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from reports.letters import (
    LetterError,
    checksum,
    combine,
    render_eviction_request,
    render_pakrav,
    render_termination,
)
from reports.letters.common import CLAIM_COLUMNS
from reports.letters.layout import (
    BODY_BOTTOM,
    CELL_PAD,
    LEFT,
    RIGHT,
    TOP,
    WINDOW_H,
    WINDOW_W,
    WINDOW_X,
    WINDOW_Y,
)
from tests.reports.letters import pdftext, samples
from workflows.arrears.letter_data import Channel, ClaimLine

PT = 25.4 / 72


def assert_stays_on_the_page(pdf: bytes) -> None:
    """Every text run inside the text column; below the footer line only the footer; no two
    runs on a page overlapping (boxes from the baseline: ascent 0.72 em, descent 0.2 em)."""
    runs = pdftext.text_runs(pdf)
    assert runs
    for run in runs:
        assert run.x >= LEFT - 0.01, run
        assert run.right <= RIGHT + 0.01, run
        assert run.baseline - run.size * PT >= TOP - 1, run
        if run.baseline > BODY_BOTTOM:
            assert run.size == 8.0, f"body text in the footer zone: {run}"
    for page, page_runs in itertools.groupby(runs, key=lambda r: r.page):
        boxes = [
            (r.x, r.right, r.baseline - 0.72 * r.size * PT, r.baseline + 0.2 * r.size * PT, r)
            for r in page_runs
            if r.text.strip()
        ]
        for a, b in itertools.combinations(boxes, 2):
            overlap_x = min(a[1], b[1]) - max(a[0], b[0]) > 0.05
            overlap_y = min(a[3], b[3]) - max(a[2], b[2]) > 0.05
            assert not (overlap_x and overlap_y), f"page {page}: {a[4]} overlaps {b[4]}"


@pytest.mark.parametrize(
    "render",
    [
        lambda: render_pakrav(samples.pakrav()),
        lambda: render_pakrav(samples.pakrav(channel=Channel.LETTER, recipient=samples.COUPLE)),
        lambda: render_termination(samples.termination()),
        lambda: render_eviction_request(samples.eviction_request()),
    ],
    ids=["pakrav", "pakrav-letter", "termination", "eviction"],
)
def test_each_letter_renders_a_pdf_that_stays_on_the_page(render: object) -> None:
    pdf = render()  # type: ignore[operator]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/BaseFont /Helvetica" in pdf  # Latin-1 text: the core font, nothing embedded
    assert_stays_on_the_page(pdf)
    count = pdftext.page_count(pdf)
    texts = pdftext.page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        assert text.endswith(
            f"Boligforeningen Østjylland · CVR-nr. 12345678 Side {number} af {count}"
        )


def test_same_letter_same_bytes_same_checksum() -> None:
    first = render_pakrav(samples.pakrav())
    second = render_pakrav(samples.pakrav())
    assert first == second
    assert checksum(first) == checksum(second) == hashlib.sha256(first).hexdigest()
    assert len(checksum(first)) == 64
    other = render_pakrav(samples.pakrav(unit_number="12-035"))
    assert checksum(other) != checksum(first)
    assert render_termination(samples.termination()) == render_termination(samples.termination())
    assert render_eviction_request(samples.eviction_request()) == render_eviction_request(
        samples.eviction_request()
    )


def test_creation_date_is_the_letters_date_not_the_clock() -> None:
    assert b"/CreationDate (D:20260409000000Z)" in render_pakrav(samples.pakrav())
    assert b"/CreationDate (D:20260427000000Z)" in render_termination(samples.termination())
    assert b"/CreationDate (D:20260504000000Z)" in render_eviction_request(
        samples.eviction_request()
    )


LONG_NAMES = (
    "Anne-Marie Christiansen-Østergaard Bech-Vestergaard Møller-Nielsen",
    "Bo Ægidius Kristoffer Sønderby-Hjortshøj Frederiksen-Laursen",
    "Åse Ødegård-Aamodt",
    "Zoë Hansen–Ibsen O’Brien",
)
LONG_SENDER = replace(
    samples.SENDER,
    name="Boligselskabet af 1942 for Sjællandske Almene Familie-, Ungdoms- og Ældreboliger, "
    "afdeling Nørrebro–Østerbro",
    address="Store Kongensgade 114, 3. sal, indgang fra gården, att. Udlejningsafdelingen",
    payment_details="reg.nr. 1234 konto 0001234567 eller indbetalingskort FI +71 <12345678> "
    "med betalings-ID 000000001234567 (skriv altid lejemålsnummeret)",
)
LONG_TENANT = replace(
    samples.TENANT,
    names=LONG_NAMES,
    address="Kongens Nytorv 123, opgang B, 14. sal, lejlighed nr. 1402 t.v., indgang fra gården",
    city="København K",
    postcode="1050",
)
UNBROKEN = "Antennebidrag/bredbånd-" * 8  # 184 characters without a space
START = date(2023, 9, 1)


def thirty_lines() -> tuple[ClaimLine, ...]:
    return tuple(
        ClaimLine(
            START + timedelta(days=31 * i),
            UNBROKEN if i == 7 else f"Husleje og a conto varme, termin {i + 1} – **restance** --",
            100_000 + i * 1_234,
        )
        for i in range(30)
    )


def test_long_names_addresses_and_30_lines_break_pages_and_repeat_the_table_header() -> None:
    lines = thirty_lines()
    letter = samples.pakrav(
        sender=LONG_SENDER, recipient=LONG_TENANT, lines=lines, channel=Channel.LETTER
    )
    pdf = render_pakrav(letter)
    assert_stays_on_the_page(pdf)
    pages = pdftext.page_lines(pdf)
    assert len(pages) >= 2
    table_pages = [
        i for i, page in enumerate(pages) if any("Husleje og a conto" in x for x in page)
    ]
    assert len(table_pages) >= 2, "30 lines do not fit on the first page"
    for i in table_pages:
        assert "Forfaldsdato Tekst Beløb (kr.)" in pages[i], f"no header on page {i + 1}"
    text = " ".join(" ".join(page) for page in pages)
    squeezed = text.replace(" ", "")
    for line in lines:
        assert f"{line.due_date:%d.%m.%Y}" in text
        assert f"{line.amount_oere // 100:,}".replace(",", ".") in text
    text_column = LEFT + CLAIM_COLUMNS[0].width * (RIGHT - LEFT) + CELL_PAD
    column = "".join(r.text for r in pdftext.text_runs(pdf) if abs(r.x - text_column) < 0.01)
    assert UNBROKEN in column  # cut between characters, nothing lost
    assert "**restance** --" in text  # no markdown: the characters print as they are
    total = sum(line.amount_oere for line in lines) + samples.FEE_OERE
    assert f"I alt at betale {total // 100:,},{total % 100:02d}".replace(",", ".", 1) in text
    for name in LONG_NAMES:
        assert name.replace(" ", "") in squeezed
    assert "Zoë Hansen–Ibsen O’Brien" in text  # beyond Latin-1
    count = len(pages)
    for number, page in enumerate(pages, start=1):  # the long name takes two footer lines
        assert page[-2].endswith(f"Side {number} af {count}") and page[-1] == "CVR-nr. 12345678"


def test_long_content_in_termination_and_eviction_request_stays_on_the_page() -> None:
    lines = thirty_lines()
    termination = samples.termination(
        sender=LONG_SENDER, recipient=LONG_TENANT, lines=lines, termination_date=date(2026, 4, 27)
    )
    assert_stays_on_the_page(render_termination(termination))
    request = samples.eviction_request(sender=LONG_SENDER, tenant=LONG_TENANT, lines=lines)
    assert_stays_on_the_page(render_eviction_request(request))


def test_page_count_alias_in_data_is_printed_as_written() -> None:
    line = ClaimLine(date(2026, 4, 1), "Husleje {nb} april", 100)
    assert "Husleje {nb} april" in pdftext.all_text(render_pakrav(samples.pakrav(lines=(line,))))


def test_a_character_the_font_cannot_print_is_refused_not_dropped() -> None:
    tenant = replace(samples.TENANT, names=("Li 李",))
    with pytest.raises(LetterError, match="U\\+674E"):
        render_pakrav(samples.pakrav(recipient=tenant))


def physical_day() -> list[object]:
    return [
        samples.pakrav(channel=Channel.LETTER),
        samples.termination(),
        samples.eviction_request(),
    ]


def test_print_file_of_three_letters_has_the_right_page_count() -> None:
    singles = [
        render_pakrav(samples.pakrav(channel=Channel.LETTER)),
        render_termination(samples.termination()),
        render_eviction_request(samples.eviction_request()),
    ]
    assert [pdftext.page_count(pdf) for pdf in singles] == [1, 2, 2]

    duplex = combine(physical_day())  # type: ignore[arg-type]
    assert pdftext.page_count(duplex) == 6  # 1 + blank back, 2, 2
    texts = pdftext.page_texts(duplex)
    assert texts[0].startswith("Søndergade 14") and texts[0].endswith("Side 1 af 1")
    assert texts[1] == ""  # the back of the påkrav stays blank
    assert "Ophævelse af lejeaftale" in texts[2] and texts[2].endswith("Side 1 af 2")
    assert texts[3].endswith("Side 2 af 2")
    assert "Anmodning om udsættelse af lejer" in texts[4] and texts[4].endswith("Side 1 af 2")
    assert texts[5].endswith("Side 2 af 2")
    assert_stays_on_the_page(duplex)

    simplex = combine(physical_day(), duplex=False)  # type: ignore[arg-type]
    assert pdftext.page_count(simplex) == 5
    # the same drawing code: each letter's pages read exactly as in its own PDF
    assert pdftext.page_texts(simplex) == [t for pdf in singles for t in pdftext.page_texts(pdf)]


def test_print_file_is_deterministic_and_dated_by_its_latest_letter() -> None:
    first = combine(physical_day())  # type: ignore[arg-type]
    assert first == combine(physical_day())  # type: ignore[arg-type]
    assert b"/CreationDate (D:20260504000000Z)" in first


def test_print_file_refuses_digital_post_letters_and_an_empty_day() -> None:
    with pytest.raises(LetterError, match="Digital Post"):
        combine([samples.pakrav()])
    with pytest.raises(LetterError, match="no letters"):
        combine([])


def test_physical_address_stays_in_the_envelope_window() -> None:
    letter = samples.pakrav(sender=LONG_SENDER, recipient=LONG_TENANT, channel=Channel.LETTER)
    runs = [r for r in pdftext.text_runs(render_pakrav(letter)) if r.page == 1]
    window = [r for r in runs if WINDOW_X - 0.01 <= r.x < WINDOW_X + WINDOW_W and r.baseline >= 45]
    postal = next(r for r in window if r.text == "1050 København K")
    assert postal.baseline <= WINDOW_Y + WINDOW_H
    assert all(r.right <= WINDOW_X + WINDOW_W + 0.01 for r in window if r.baseline < 90)
    for name in LONG_NAMES:  # every tenant is named in the window, wrapped if need be
        first_word = name.split()[0]
        assert any(r.text.startswith(first_word) and r.baseline < 90 for r in window), name


def test_an_address_too_long_for_the_window_is_refused() -> None:
    names = tuple(f"{name} {i}" for i, name in enumerate(LONG_NAMES * 2))
    tenant = replace(LONG_TENANT, names=names)
    with pytest.raises(LetterError, match="envelope window"):
        render_pakrav(samples.pakrav(recipient=tenant, channel=Channel.LETTER))
    # in Digital Post there is no window: the same address simply takes more room
    assert_stays_on_the_page(render_pakrav(samples.pakrav(recipient=tenant)))


def test_checksum_does_not_depend_on_the_process() -> None:
    """Another interpreter with another hash seed gives the same bytes (nothing in the output
    depends on set or dict ordering that varies between runs)."""
    code = (
        "from tests.reports.letters import samples; "
        "from reports.letters import checksum, render_pakrav; "
        "print(checksum(render_pakrav(samples.pakrav())))"
    )
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == checksum(render_pakrav(samples.pakrav()))


def test_a_name_outside_latin_1_switches_to_the_embedded_font_and_prints_right() -> None:
    recipient = replace(samples.pakrav().recipient, names=("Łukasz Şahin", "Nguyễn Thị Lan"))
    pdf = render_pakrav(samples.pakrav(recipient=recipient))
    assert b"/FontFile2" in pdf and b"/BaseFont /Helvetica" not in pdf
    text = pdftext.all_text(pdf)
    assert "Łukasz Şahin" in text and "Nguyễn Thị Lan" in text
    assert_stays_on_the_page(pdf)


@pytest.mark.parametrize("unicode", [False, True], ids=["core-font", "embedded-font"])
def test_measured_widths_are_what_fpdf2_draws(unicode: bool) -> None:
    from reports.letters.typeset import TextStyle, Typesetter, new_document

    pdf = new_document(created=date(2026, 4, 9), title="t", author="a", unicode=unicode)
    pdf.add_page()
    ts = Typesetter(pdf)
    for bold in (False, True):
        for size in (8.0, 10.0, 13.5):
            style = TextStyle(size=size, line=5.0, bold=bold)
            for text in ("Påkrav om betaling", "6.512,00 kr.", "§ 90, stk. 2 - æøå ÆØÅ"):
                ts.use(style)
                assert ts.width(text, style) == pytest.approx(pdf.get_string_width(text))
