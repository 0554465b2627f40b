"""The Jinja2 environment shared by the dashboard and the digest.

Everything on our pages that came from a crawled site (titles, agency names, URLs, finding messages that
quote a report) is hostile input.  So: autoescape on for every .html template, StrictUndefined so a
misspelt variable fails the build instead of printing nothing, no `|safe` anywhere on crawled text, and
links to crawled URLs only through `href`, which refuses every scheme but http(s) (javascript: URLs are
not stopped by HTML escaping).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from monitor import explain
from monitor.status import FAILURE_LABELS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cn_date=cn_date, pct=pct, size=size, href=href, circled=circled)
    env.globals.update(
        STATUS_LABELS=explain.STATUS_LABELS,
        STATUS_MEANINGS=explain.STATUS_MEANINGS,
        SEVERITY_LABELS=explain.SEVERITY_LABELS,
        SEVERITY_MEANINGS=explain.SEVERITY_MEANINGS,
        KIND_LABELS=explain.KIND_LABELS,
        DATE_SOURCE_LABELS=explain.DATE_SOURCE_LABELS,
        FORMAT_LABELS=explain.FORMAT_LABELS,
        DOC_TYPE_LABELS=explain.DOC_TYPE_LABELS,
        FAILURE_LABELS=FAILURE_LABELS,
        explain=explain.explain,
    )
    return env


def cn_date(value: date | str | None) -> str:
    """2024-01-31 → 2024年1月31日 (the way dates are written in official documents)."""
    if value is None or value == "":
        return "—"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def pct(part: int, whole: int) -> str:
    """A share as a whole percentage ("—" when there is nothing to divide)."""
    if not whole:
        return "—"
    return f"{round(100 * part / whole)}%"


def size(value: int | None) -> str:
    if value is None:
        return "—"
    if value < 1024:
        return f"{value} 字节"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KB"
    return f"{value / 1024 / 1024:.1f} MB"


def href(url: str | None) -> str | None:
    """`url` if it may be a link (http or https with a host), else None: the template then shows it as text."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(n: int) -> str:
    """Finding numbers as the circled digits officials use in documents (①…⑳, then (21))."""
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"
