"""The dashboard and the digest in real headless Chromium (Debian's, through Playwright), from file://.

Pages load without console errors or failed requests, filter and sort work when clicked, links lead to
pages, the chart is drawn with one mark per published report, badges are readable (WCAG contrast ≥ 4.5
computed from the colours the browser applies), archived HTML cannot run its scripts.  Screenshots at
1280 and 390 px are written to the test's tmp folder for a person to look at.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.dashboard import build_dashboard
from monitor.dashboard.collect import region_slug
from monitor.digest import build_digest
from monitor.store import Store
from tests.dashboard_history import AS_OF, EVIL_TITLE, REGION, RUN1, STATUS_2022, TRUTH_2023, build_history

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.requires("chromium"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    db = build_history(folder)
    out = folder / "dashboard"
    with Store.open(db) as store:
        build_dashboard(store, out, date.fromisoformat(AS_OF))
        digest = build_digest(store, date.fromisoformat(RUN1), date.fromisoformat(AS_OF))
    (folder / "digest.html").write_text(digest.html, encoding="utf-8")
    with Store.open(db) as store:
        reports = {(r["agency"], r["year"]): r["id"] for r in store.reports()}
        docs = {d["report_id"]: d for d in store.documents()}
    return folder, out, reports, docs


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page that records console errors, page errors and every request it makes."""

    def __init__(self, browser, width: int):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        # ERR_ABORTED is a load cut short by the test's next click, not a missing file (ERR_FILE_NOT_FOUND).
        self.page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                     and self.errors.append(f"failed: {r.url} {r.failure}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path, fragment: str = "") -> None:
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.page.close()


def _pages(out: Path, reports) -> dict[str, Path]:
    slug = region_slug(REGION)
    return {
        "overview": out / "region" / f"{slug}.html",
        "agencies": out / "region" / f"{slug}-2023.html",
        "report": out / "report" / f"{reports[('示例区商务局', 2023)]}.html",
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_load_clean_and_screenshots(site, browser, tmp_path, width):
    folder, out, reports, _ = site
    watched = Watched(browser, width)
    targets = {"index": out / "index.html", **_pages(out, reports),
               "agency": out / "agency" / "1.html", "digest": folder / "digest.html"}
    for name, path in targets.items():
        watched.open(path)
        page = watched.page
        assert page.get_attribute("html", "lang") == "zh-CN", name
        assert page.locator("th:not([scope])").count() == 0, name
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert (tmp_path / f"{name}-{width}.png").stat().st_size > 10_000
        if width == 390:
            # Nothing but tables (which scroll inside their box) may be wider than the phone's screen.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (name, overflow)
    assert watched.errors == []
    assert all(url.startswith("file://") for url in watched.requests), watched.requests
    watched.close()


def test_filter_and_sort_by_clicking(site, browser):
    _, out, reports, _ = site
    watched = Watched(browser, 1280)
    watched.open(_pages(out, reports)["agencies"])
    page = watched.page
    visible = "#agency-table tbody tr:not([hidden])"
    assert page.locator(visible).count() == len(TRUTH_2023)

    page.select_option("select[name=status]", "late")
    late = {a for a, t in TRUTH_2023.items() if t.status == "late"}
    assert set(page.locator(visible).evaluate_all("rows => rows.map(r => r.dataset.name)")) == late
    assert page.locator("output[name=shown]").inner_text() == f"显示 {len(late)} / {len(TRUTH_2023)} 个机关"
    page.select_option("select[name=status]", "")
    page.fill("input[name=q]", "商务")
    assert page.locator(visible).evaluate_all("rows => rows.map(r => r.dataset.name)") == ["示例区商务局"]
    page.fill("input[name=q]", "")
    page.select_option("select[name=kind]", "government")
    assert page.locator(visible).count() == 1
    page.select_option("select[name=kind]", "")

    page.click("#agency-table thead th:nth-child(1) button")
    names = page.locator("#agency-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.name)")
    in_order = page.evaluate("n => n.every((x, i) => i === 0 || n[i - 1].localeCompare(x, 'zh-CN') <= 0)", names)
    assert in_order and page.get_attribute("#agency-table thead th:nth-child(1)", "aria-sort") == "ascending"
    page.click("#agency-table thead th:nth-child(1) button")
    reversed_names = page.locator("#agency-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.name)")
    assert reversed_names == names[::-1]
    page.click("#agency-table thead th:nth-child(6) button")  # 错误: numeric, blanks first
    errors = page.locator("#agency-table tbody tr td:nth-child(6)").all_inner_texts()
    numbers = [int(x) if x.isdigit() else 0 for x in errors]
    assert numbers == sorted(numbers)

    watched.open(out / "region" / f"{region_slug(REGION)}-2023.html", "#status=missing")
    missing = {a for a, t in TRUTH_2023.items() if t.status == "missing"}
    assert set(page.locator(visible).evaluate_all("rows => rows.map(r => r.dataset.name)")) == missing
    assert watched.errors == []
    watched.close()


def test_links_lead_to_pages(site, browser):
    _, out, reports, _ = site
    watched = Watched(browser, 1280)
    page = watched.page
    watched.open(out / "index.html")
    page.click(f"text={REGION}")
    assert page.url.endswith(f"{region_slug(REGION)}.html")
    page.click("a[href$='-2023.html#status=late']")
    assert page.locator("h1").inner_text() == f"{REGION} 2023年度报告发布情况"
    page.click("tr[data-name='示例区财政局'] a:text('查看')")
    assert page.url.endswith(f"report/{reports[('示例区财政局', 2023)]}.html")
    watched.open(_pages(out, reports)["report"])
    page.click("a.mark >> nth=0")  # a marked cell leads to its finding
    assert page.evaluate("location.hash") == "#" + page.locator("li.finding:target").get_attribute("id")
    page.click("text=打开存档副本")
    assert "/evidence/" in page.url and page.locator("iframe.archived").count() == 1
    page.go_back()
    page.click("nav.crumbs a >> nth=2")
    assert "/agency/" in page.url and page.locator("table.history tbody tr").count() == 2
    assert watched.errors == []
    watched.close()


def test_chart_is_drawn_with_a_mark_per_published_report(site, browser):
    _, out, reports, _ = site
    watched = Watched(browser, 1280)
    watched.open(_pages(out, reports)["overview"])
    page = watched.page
    chart = page.locator("svg.pubchart").first
    published = sum(t.status in ("on_time", "late") for t in TRUTH_2023.values())
    assert chart.locator("circle").count() == published
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 100
    drawn = chart.locator("circle").evaluate_all("cs => cs.filter(c => c.getBBox().width > 0).length")
    assert drawn == published
    assert chart.locator("line.deadline").count() == 2
    page.click("details summary")
    published_2022 = sum(s in ("on_time", "late") for s in STATUS_2022.values())
    assert page.locator("details svg.pubchart circle").count() == published_2022
    watched.close()


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(float(x)) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_badges_are_readable(site, browser):
    _, out, reports, _ = site
    watched = Watched(browser, 1280)
    seen = set()
    for path in (_pages(out, reports)["agencies"], _pages(out, reports)["report"]):
        watched.open(path)
        styles = watched.page.locator(".badge").evaluate_all(
            "bs => bs.map(b => [b.className, getComputedStyle(b).color, getComputedStyle(b).backgroundColor])")
        for cls, fg, bg in styles:
            assert contrast(fg, bg) >= 4.5, (cls, fg, bg, contrast(fg, bg))
            seen.add(cls)
    assert {f"badge badge-{s}" for s in ("on_time", "late", "missing", "pending", "unknown")} <= seen
    assert {"badge sev-error", "badge sev-warning"} <= seen
    watched.close()


def test_archived_html_cannot_run_its_scripts(site, browser):
    _, out, reports, docs = site
    evil = docs[reports[(next(a for a in TRUTH_2023 if "<script>" in a), 2023)]]
    watched = Watched(browser, 1280)
    report = out / "report" / f"{reports[(next(a for a in TRUTH_2023 if '<script>' in a), 2023)]}.html"
    watched.open(report)
    assert watched.page.locator("h1").inner_text() == EVIL_TITLE  # shown as text
    assert watched.page.evaluate("document.querySelectorAll('img').length") == 0
    watched.open(out / "evidence" / f"{evil['sha256']}.html")
    frame = watched.page.frames[1]
    assert frame.locator("p").inner_text() == "正文"  # the archived page is visible
    assert frame.evaluate("document.title") == "x"  # its script did not run
    assert not [u for u in watched.requests if "127.0.0.1:1" in u]
    watched.close()
