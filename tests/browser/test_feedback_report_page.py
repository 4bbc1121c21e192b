"""The student's feedback report in a real browser: it fits a 320 px phone and passes axe."""

from __future__ import annotations

import pytest

from ..conftest import ROOT
from ..test_feedback_report import bank as _bank
from ..test_feedback_report import sample_page
from .conftest import require

pytestmark = pytest.mark.browser

bank = _bank  # the same module-scoped fixture


def test_the_report_fits_a_320_px_phone_and_passes_axe(browser, bank, tmp_path):
    path = sample_page(bank, tmp_path)
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    require(axe.exists(), f"axe-core not installed at {axe} (npm ci)")
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page.goto(path.as_uri())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321).map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []
    # The summary tables fit without scrolling sideways, numbers on one line.
    tables = page.evaluate(
        "[...document.querySelectorAll('.table')].map(e => e.scrollWidth - e.clientWidth)"
    )
    assert tables == [0, 0]
    page.add_script_tag(content=axe.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert [v["id"] for v in result["violations"]] == []
    page.close()
