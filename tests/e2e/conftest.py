"""Browser tests: headless Chromium (Debian's, ``/usr/bin/chromium``) driving the real app.

They run on SQLite only: what they test is the page in a browser (log in, forms, CSRF,
redirects, downloads, refusals); the queries behind it run on both databases in the rest of
the suite. Without ``/usr/bin/chromium`` they are skipped (CI installs it: ``.ci/run``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.databases import Backend

from .world import World, build, serving

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).parent / "artefacts"

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install -y chromium)",
        allow_module_level=True,
    )


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    workdir = tmp_path_factory.mktemp("e2e")
    backend = Backend("sqlite", workdir)
    backend.prepare_template()
    engine = backend.new_database("e2e")
    built = build(engine, str(engine.url), workdir)
    with serving(engine) as url:
        yield World(url, engine, built.cvr, built.other_cvr, built.other_case_id)
    backend.drop(engine)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--lang=da-DK"],  # date fields as a Danish browser shows them
            env={**os.environ, "LANG": "da_DK.UTF-8", "LANGUAGE": "da"},
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="da-DK"
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def screenshot(page: Any, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
