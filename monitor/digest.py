"""The digest: what changed since the last one, as one self-contained HTML page (and a plain-text twin).

Who reads it: the official who gets it by mail once a week and has to decide whom to call.  So it lists
only news — reports newly published, agencies newly late or missing, those still missing past the
deadline, new defects, reports changed or taken down, sites we could not check — each with the plain-
Chinese explanation of the rule, and nothing that needs a network to display (inline CSS, no script, no
image).  What changed comes from monitor.status.changes_between; the digest only sorts and words it.

The digest remembers when it was last written (table `digest_log` in the same database), so the next one
starts where this one ended; the first one covers the DEFAULT_DAYS before as-of.
"""

from __future__ import annotations

import smtplib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from monitor.dashboard.render import environment
from monitor.explain import STATUS_LABELS
from monitor.status import Changes, DatedFinding, Status, changes_between, judge
from monitor.store import Store

DEFAULT_DAYS = 7
LOG_TABLE = "digest_log"


@dataclass
class Item:
    """One line of the digest: an agency × year (or a region's site) and what happened to it."""

    region: str
    agency: str | None
    year: int | None
    status: Status | None = None
    report: dict[str, Any] | None = None
    findings: list[DatedFinding] = field(default_factory=list)
    note: str = ""


@dataclass
class Digest:
    since: date
    as_of: date
    since_basis: str  # why the period starts on `since`, in Chinese
    newly_late: list[Item]
    newly_published: list[Item]
    still_missing: list[Item]
    new_defects: list[Item]
    changed_or_removed: list[Item]
    could_not_check: list[Item]
    resolved: int
    runs: list[dict[str, Any]]
    totals: dict[str, int]  # status → agencies × years, as of as_of
    html: str = ""
    text: str = ""

    @property
    def subject(self) -> str:
        return f"年报哨兵周报：{_cn(self.since)}至{_cn(self.as_of)}的变化"

    @property
    def regions(self) -> set[str]:
        items = (self.newly_late + self.newly_published + self.still_missing + self.new_defects
                 + self.changed_or_removed + self.could_not_check)
        return {item.region for item in items}


def last_digest(store: Store, before: date) -> date | None:
    """The as-of date of the latest digest written for a date before `before` (None if there is none)."""
    if LOG_TABLE not in store.db.table_names():
        return None
    row = store.db.execute(f"SELECT MAX(as_of) FROM {LOG_TABLE} WHERE as_of < ?", [before.isoformat()]).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def default_since(store: Store, as_of: date) -> tuple[date, str]:
    last = last_digest(store, as_of)
    if last is not None:
        return last, f"上次周报截至 {_cn(last)}"
    return as_of - timedelta(days=DEFAULT_DAYS), f"这是第一份周报，统计截至日前 {DEFAULT_DAYS} 天的变化"


def build_digest(store: Store, since: date, as_of: date, since_basis: str = "", region: str | None = None) -> Digest:
    """Gather and render the digest of (since, as_of]."""
    if since >= as_of:
        raise ValueError(f"the period is empty: since {since} is not before as-of {as_of}")
    changes = changes_between(store, since, as_of, region)
    after = {s.key: s for s in judge(store, as_of, region)}
    digest = _gather(changes, after, since_basis or f"指定从 {_cn(since)} 起")
    env = environment()
    digest.html = env.get_template("digest/digest.html").render(d=digest)
    digest.text = env.get_template("digest/digest.txt").render(d=digest)
    return digest


def _gather(changes: Changes, after: dict[tuple[str, str, int], Status], since_basis: str) -> Digest:
    newly_late, still_missing, could_not_check = [], [], []
    changed_keys = set()
    for old, new in changes.status_changes:
        changed_keys.add(new.key)
        if new.status in ("late", "missing"):
            newly_late.append(Item(new.region, new.agency, new.year, status=new,
                                   note="" if old is None else f"此前状态：{STATUS_LABELS[old.status]}"))
        elif new.status == "unknown" and new.reason_code.startswith("could_not_look"):
            could_not_check.append(Item(new.region, new.agency, new.year, status=new))
    for st in after.values():
        if st.status == "missing" and st.key not in changed_keys:
            still_missing.append(Item(st.region, st.agency, st.year, status=st))

    newly_published = [
        Item(r["region"], r["agency"], r["year"], status=after.get((r["region"], r["agency"], r["year"])), report=r)
        for r in changes.new_reports
    ]
    defects: dict[tuple[str, str | None, int | None], Item] = {}
    changed: list[Item] = []
    for f in changes.new_findings:
        if f.rule in ("publication.changed", "publication.removed"):
            changed.append(Item(f.region, f.agency, f.year, status=after.get((f.region, f.agency, f.year)),
                                findings=[f]))
        elif not f.rule.startswith("publication."):
            key = (f.region, f.agency, f.year)
            item = defects.setdefault(key, Item(f.region, f.agency, f.year, status=after.get(key)))
            item.findings.append(f)
    for item in defects.values():
        item.findings.sort(key=lambda f: ({"error": 0, "warning": 1}.get(f.severity, 2), f.rule))
    order = lambda item: (item.region, item.agency or "", -(item.year or 0))  # noqa: E731
    totals = Counter(s.status for s in after.values())
    return Digest(
        since=changes.since, as_of=changes.as_of, since_basis=since_basis,
        newly_late=sorted(newly_late, key=order), newly_published=sorted(newly_published, key=order),
        still_missing=sorted(still_missing, key=order), new_defects=sorted(defects.values(), key=order),
        changed_or_removed=sorted(changed, key=order), could_not_check=sorted(could_not_check, key=order),
        resolved=len(changes.resolved_findings), runs=changes.runs, totals=dict(totals),
    )


def record_digest(store: Store, digest: Digest, out: Path, mailed_to: str | None = None) -> None:
    """Remember that a digest up to `digest.as_of` was written (the next one starts there)."""
    table = store.db[LOG_TABLE]
    with store.db.atomic():
        if not table.exists():
            table.create({"id": int, "as_of": str, "since": str, "written_at": str, "out": str, "mailed_to": str},
                         pk="id")
        table.insert({
            "as_of": digest.as_of.isoformat(), "since": digest.since.isoformat(),
            "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "out": str(out), "mailed_to": mailed_to,
        })


def email_message(digest: Digest, sender: str, to: str) -> EmailMessage:
    """The digest as a MIME message: a plain-text part and the HTML part (mail clients pick one)."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def send(digest: Digest, host: str, port: int, sender: str, to: str, timeout: float = 30.0) -> None:
    """Mail the digest over SMTP (plain SMTP, as to the office's relay); raises OSError/SMTPException."""
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        smtp.send_message(email_message(digest, sender, to))


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
