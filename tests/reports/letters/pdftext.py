"""Read back the text of a PDF written by fpdf2, for the tests (pypdf is not a dependency).

Handles exactly what fpdf2 2.8 writes for the letters: uncompressed object dictionaries,
Flate-compressed content streams, Type0 fonts with a ToUnicode CMap (bfchar) and a /W width
array, or the core font Helvetica (Type1, WinAnsiEncoding, widths from fpdf2's metrics), text
drawn as ``BT x y Td (..) Tj ET`` after a ``/Fn size Tf``. Each text run comes
back with its page, position and width (from the font's own widths), so tests can check both
what a letter says and that it stays inside the page.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

MM = 72 / 25.4  # points per mm

_OBJECT = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj", re.S)
_STREAM = re.compile(rb"stream\n(.*)\nendstream", re.S)
_REF = rb"(\d+) 0 R"


@dataclass(frozen=True)
class TextRun:
    page: int  # 1-based
    x: float  # mm from the left edge
    baseline: float  # mm from the top edge
    size: float  # points
    width: float  # mm
    text: str

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class _Font:
    to_unicode: dict[int, str]
    widths: dict[int, int]
    default_width: int
    code_bytes: int = 2  # Type0 fonts use 2-byte codes, the core fonts 1 byte


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    assert match, "object has no stream"
    data = match.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body else data


def _ref(body: bytes, key: bytes) -> int:
    match = re.search(re.escape(key) + rb"\s+" + _REF, body)
    assert match, f"no {key!r} in {body[:80]!r}"
    return int(match.group(1))


def _parse_widths(text: str) -> dict[int, int]:
    tokens = re.findall(r"\[|\]|\d+", text)
    widths: dict[int, int] = {}
    i = 0
    while i < len(tokens):
        first = int(tokens[i])
        if tokens[i + 1] == "[":
            j, code = i + 2, first
            while tokens[j] != "]":
                widths[code] = int(tokens[j])
                code, j = code + 1, j + 1
            i = j + 1
        else:
            last, width = int(tokens[i + 1]), int(tokens[i + 2])
            for code in range(first, last + 1):
                widths[code] = width
            i += 3
    return widths


def _core_font(body: bytes) -> _Font:
    """Helvetica or Helvetica-Bold with WinAnsiEncoding (cp1252), widths as fpdf2 measures."""
    from fpdf import FPDF

    bold = b"/BaseFont /Helvetica-Bold" in body
    assert b"/BaseFont /Helvetica" in body and b"/WinAnsiEncoding" in body, body[:80]
    pdf = FPDF()
    pdf.set_font("helvetica", "B" if bold else "", 10)
    cw = pdf.current_font.cw  # type: ignore[union-attr]
    to_unicode = {code: bytes([code]).decode("cp1252", errors="replace") for code in range(256)}
    widths = {code: int(cw.get(char, 0)) for code, char in to_unicode.items()}
    return _Font(to_unicode, widths, 0, code_bytes=1)


def _font(objects: dict[int, bytes], number: int) -> _Font:
    body = objects[number]
    if b"/Subtype /Type1" in body:
        return _core_font(body)
    cmap = _stream(objects[_ref(body, b"/ToUnicode")]).decode("latin-1")
    to_unicode = {
        int(src, 16): bytes.fromhex(dst).decode("utf-16-be")
        for src, dst in re.findall(r"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", cmap)
    }
    descendant_ref = re.search(rb"/DescendantFonts \[" + _REF, body)
    assert descendant_ref, "a Type0 font has a descendant font"
    descendant = objects[int(descendant_ref.group(1))]
    w_match = re.search(rb"/W \[(.*)\]\s*>>", descendant, re.S)
    dw_match = re.search(rb"/DW (\d+)", descendant)
    widths = _parse_widths(w_match.group(1).decode()) if w_match else {}
    return _Font(to_unicode, widths, int(dw_match.group(1)) if dw_match else 1000)


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """A PDF literal string starting after "(" at ``start``; returns (bytes, index after ")")."""
    out, depth, i = bytearray(), 1, start
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while True:
        c = data[i]
        if c == ord("\\"):
            nxt = data[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
            elif ord("0") <= nxt <= ord("7"):
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                assert digits
                out.append(int(digits.group(0), 8))
                i += 1 + len(digits.group(0))
            else:
                out.append(nxt)
                i += 2
            continue
        if c == ord("("):
            depth += 1
        elif c == ord(")"):
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1


def _page_runs(content: bytes, fonts: dict[str, _Font], page: int) -> list[TextRun]:
    runs: list[TextRun] = []
    font: _Font | None = None
    size = 0.0
    x = y = 0.0
    operands: list[bytes] = []
    i = 0
    token = re.compile(rb"\s*(\(|/[^\s/\[\]()<>]+|-?\d*\.?\d+|[A-Za-z'\"*]+|\[|\]|<[^>]*>)")
    while i < len(content):
        match = token.match(content, i)
        if not match:
            i += 1
            continue
        tok = match.group(1)
        i = match.end()
        if tok == b"(":
            raw, i = _literal(content, i)
            operands.append(b"(" + raw)
            continue
        if tok == b"Tf":
            font, size = fonts[operands[-2].decode()[1:]], float(operands[-1])
        elif tok == b"Td":
            x, y = float(operands[-2]), float(operands[-1])
        elif tok == b"Tj":
            raw = operands[-1][1:]
            assert font is not None
            step = font.code_bytes
            codes = [int.from_bytes(raw[k : k + step], "big") for k in range(0, len(raw), step)]
            text = "".join(font.to_unicode.get(code, "\ufffd") for code in codes)
            width = sum(font.widths.get(code, font.default_width) for code in codes) * size / 1000
            runs.append(TextRun(page, x / MM, 297 - y / MM, size, width / MM, text))
        if not re.fullmatch(rb"-?\d*\.?\d+|/.*|\[|\]|<.*>", tok):
            operands = []
        else:
            operands.append(tok)
    return runs


def text_runs(pdf: bytes) -> list[TextRun]:
    """Every text run of ``pdf``, page by page in drawing order."""
    objects = _objects(pdf)
    root_pages = next(n for n, body in objects.items() if b"/Type /Pages" in body)
    kids = re.search(rb"/Kids \[(.*?)\]", objects[root_pages], re.S)
    assert kids
    runs: list[TextRun] = []
    for page_no, ref in enumerate(re.findall(_REF, kids.group(1)), start=1):
        page = objects[int(ref)]
        resources = objects[_ref(page, b"/Resources")]
        fonts = {
            f"F{name.decode()}": _font(objects, int(obj))
            for name, obj in re.findall(rb"/F(\d+) " + _REF, resources)
        }
        runs += _page_runs(_stream(objects[_ref(page, b"/Contents")]), fonts, page_no)
    return runs


def page_count(pdf: bytes) -> int:
    objects = _objects(pdf)
    pages = [body for body in objects.values() if re.search(rb"/Type /Page\b(?!s)", body)]
    return len(pages)


def page_lines(pdf: bytes) -> list[list[str]]:
    """The text lines of each page, top to bottom: runs on one baseline joined left to right,
    directly where they touch (a bold word and its full stop), with a space where they do not."""
    pages: list[list[str]] = [[] for _ in range(page_count(pdf))]
    runs = sorted(text_runs(pdf), key=lambda r: (r.page, round(r.baseline, 1), r.x))
    previous: TextRun | None = None
    for run in runs:
        same_line = (
            previous is not None
            and previous.page == run.page
            and round(previous.baseline, 1) == round(run.baseline, 1)
        )
        if same_line and previous is not None:
            glue = "" if run.x - previous.right < 0.3 else " "
            pages[run.page - 1][-1] += glue + run.text
        else:
            pages[run.page - 1].append(run.text)
        previous = run
    return pages


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, lines joined by spaces and whitespace collapsed."""
    return [" ".join(" ".join(lines).split()) for lines in page_lines(pdf)]


def all_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))
