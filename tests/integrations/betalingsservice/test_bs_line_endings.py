"""CRLF, LF and lines with trailing blanks stripped all read the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.betalingsservice import BsFormatError, parse
from integrations.betalingsservice import lines as lines_module

GOLDEN = Path(__file__).parent / "golden"


def _variants(path: Path) -> dict[str, bytes]:
    lines = [line.ljust(128) for line in path.read_bytes().decode("latin-1").splitlines()]
    stripped = [line.rstrip(" ") for line in lines]
    mixed = "".join(line + ("\r\n" if n % 2 else "\n") for n, line in enumerate(stripped))
    variants = {
        "crlf": "".join(line + "\r\n" for line in lines),
        "lf": "".join(line + "\n" for line in lines),
        "crlf-stripped": "".join(line + "\r\n" for line in stripped),
        "lf-stripped": "".join(line + "\n" for line in stripped),
        "mixed-stripped": mixed,
        "no-final-line-end": "\r\n".join(lines),
        "blank-last-line": "".join(line + "\r\n" for line in lines) + " " * 128 + "\r\n",
        "empty-last-line": "".join(line + "\n" for line in stripped) + "\n",
    }
    return {name: text.encode("latin-1") for name, text in variants.items()}


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.name)
def test_all_variants_parse_the_same(path: Path) -> None:
    variants = _variants(path)
    parsed = {name: parse(data) for name, data in variants.items()}
    reference = parsed["crlf"]
    assert all(delivery == reference for delivery in parsed.values())
    # The stripped lines really are shorter than 128 somewhere, or the test proves nothing.
    assert any(len(line) < 128 for line in variants["lf-stripped"].split(b"\n"))


def test_a_blank_line_in_the_middle_is_an_error() -> None:
    lines = (GOLDEN / "0603_mandates.txt").read_bytes().decode("latin-1").splitlines()
    data = "\r\n".join([*lines[:3], "", *lines[3:]]).encode("latin-1")
    with pytest.raises(
        BsFormatError, match="line 4, field record_type: blank line inside the delivery"
    ):
        parse(data)


def test_a_bare_carriage_return_does_not_end_a_line() -> None:
    lines = (GOLDEN / "0603_mandates.txt").read_bytes().decode("latin-1").splitlines()
    data = ("\r".join(lines[:2]) + "\r\n" + "\r\n".join(lines[2:])).encode("latin-1")
    with pytest.raises(BsFormatError, match="line 1, field record_length"):
        parse(data)


@pytest.mark.parametrize("chunk_bytes", [1, 129, 130, 200, 1000])
@pytest.mark.parametrize("line_end", ["\r\n", "\n"])
def test_lines_read_in_small_chunks_parse_the_same(
    monkeypatch: pytest.MonkeyPatch, chunk_bytes: int, line_end: str
) -> None:
    """Chunk borders fall inside lines, between CR and LF, and at line ends."""
    data = (GOLDEN / "0601_collections.txt").read_bytes()
    expected = parse(data)
    lines = data.decode("latin-1").splitlines()
    variant = "".join(line.rstrip(" ") + line_end for line in lines).encode("latin-1")
    monkeypatch.setattr(lines_module, "CHUNK_BYTES", chunk_bytes)
    assert parse(variant) == expected
    broken = variant.replace(b"BS052", b"BS05X", 1)
    with pytest.raises(BsFormatError, match="line 4, field record_type: unknown record type"):
        parse(broken)
