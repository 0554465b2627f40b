"""The judge: per agency × report year, on a given date, was the report published on time?

Everything is computed from the store's history as of `as_of` (nothing after it is visible), so the
same question asked about last week gives last week's answer, and "what changed since" is the difference
of two judgments.  Publication findings (late, missing, backdated, changed, removed) are derived here and
never stored: the history is the single source of truth, so they cannot go stale.

The rules (interface.md, report-format.md §1.3):

* on_time — published by the deadline (inclusive).  late — published after it, or first seen after it
  when the shown date cannot be trusted: none shown, only a signing date (落款) in the body, or backdated.
  A report we saw before its shown date was online by the day we saw it, so the publication date is the
  earlier of the two.
* missing — not found, deadline passed, and the latest look after the deadline succeeded.  A look only
  succeeds if its run finished normally and did not collapse (see `monitor.store.trusted_look`).  If the
  latest look after the deadline failed (unreachable, robots, challenge page, our own crash) the status is
  unknown with the reason — our failures never become an agency's missing.  Never looked since the
  deadline → unknown too.
* pending — not found, not yet due (on the due date itself the agency still has the day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from monitor.deadlines import Deadline, DeadlineRules
from monitor.regions import ConfigError, parse_deadlines, parse_years
from monitor.store import PUBLICATION_DATE_SOURCES, Store, StoreError, trusted_look

STATUSES: tuple[str, ...] = ("on_time", "late", "missing", "pending", "unknown")

FAILURE_LABELS: dict[str, str] = {
    "timeout": "网站响应超时",
    "4xx": "网站返回错误（4xx）",
    "5xx": "网站服务器错误（5xx）",
    "dns": "域名无法解析",
    "redirect_loop": "网站重定向循环",
    "challenge": "网站返回验证或拦截页面",
    "robots": "网站 robots.txt 禁止抓取",
    "too_large": "文件过大，未下载",
    "offsite": "链接指向站外",
    "network": "本方网络故障（不是网站的问题）",
    "crawler": "本方抓取程序出错（不是网站的问题）",
    "other": "其他抓取错误",
    "run_incomplete": "本次抓取未正常完成（本方问题）",
    "run_suspect": "本次抓取找到的报告远少于上次，结果不可信（本方问题）",
}
"""Why a look failed, in the words shown to officials.  The last two are our runs, not a failure class."""


@dataclass(frozen=True)
class Look:
    """One observation, as the judge reads it: `found`, `absent` (a trusted not-found) or `failed`."""

    observation_id: int
    run_id: int
    observed_on: date
    outcome: str
    result: str
    failure: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Status:
    region: str
    agency: str
    agency_id: int
    kind: str
    year: int
    due: date
    deadline_basis: str
    status: str
    reason_code: str
    reason: str
    published_on: date | None = None
    published_on_source: str | None = None
    first_seen: date | None = None
    report_id: int | None = None
    report_url: str | None = None
    removed_on: date | None = None
    backdated_check: date | None = None
    looks: tuple[Look, ...] = ()
    documents: tuple[Mapping[str, Any], ...] = ()

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.region, self.agency, self.year)

    def to_json(self) -> dict[str, Any]:
        """interface.md's status object (region, agency, year, due, status, published_on) plus the why."""
        return {
            "region": self.region,
            "agency": self.agency,
            "kind": self.kind,
            "year": self.year,
            "due": self.due.isoformat(),
            "status": self.status,
            "published_on": _iso(self.published_on),
            "published_on_source": self.published_on_source,
            "first_seen": _iso(self.first_seen),
            "reason_code": self.reason_code,
            "reason": self.reason,
            "deadline_basis": self.deadline_basis,
            "report_url": self.report_url,
            "removed_on": _iso(self.removed_on),
            "evidence": {
                "looks": [
                    {**asdict(look), "observed_on": look.observed_on.isoformat()} for look in self.looks
                ],
                "documents": [dict(d) for d in self.documents],
            },
        }


@dataclass(frozen=True)
class DatedFinding:
    """A finding attributed to a region (and agency × year when it has one), with the date it became
    true (`on`).  Publication findings are made by the judge; `stored_findings` gives the checker's
    findings from the store in the same shape, so the digest and export treat both alike."""

    rule: str
    severity: str
    message: str
    where: str
    region: str
    agency: str | None
    year: int | None
    on: date
    report_id: int | None = None
    document_id: int | None = None
    document_url: str | None = None
    cells: Any = ()

    @property
    def key(self) -> tuple[Any, ...]:
        """Identity across runs and document versions (the same defect in a re-posted file is not news)."""
        return (self.rule, self.region, self.agency, self.year, self.document_url, self.where, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "where": self.where,
            "region": self.region,
            "agency": self.agency,
            "year": self.year,
            "on": self.on.isoformat(),
        }


@dataclass
class Changes:
    """What changed between two dates (the digest's input)."""

    since: date
    as_of: date
    status_changes: list[tuple[Status | None, Status]] = field(default_factory=list)
    new_findings: list[DatedFinding] = field(default_factory=list)
    resolved_findings: list[DatedFinding] = field(default_factory=list)
    new_reports: list[dict[str, Any]] = field(default_factory=list)
    new_versions: list[dict[str, Any]] = field(default_factory=list)
    fetch_failures: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)


# ---------------------------------------------------------------------- judging


def deadline_rules(region: Mapping[str, Any]) -> DeadlineRules:
    """The deadline rules of a stored region (its config's `deadlines`; none → the national rule)."""
    config = region.get("config") or {}
    if not isinstance(config, Mapping):
        raise ConfigError(f"region {region['name']!r}: stored config is not a mapping")
    return parse_deadlines(config.get("deadlines"), f"region {region['name']!r} deadlines")


def watched_years(region: Mapping[str, Any], as_of: date) -> list[int]:
    """The report years a region's config asks us to watch on `as_of` (none configured → [])."""
    years = (region.get("config") or {}).get("years")
    if years is None:
        return []
    return parse_years(years, f"region {region['name']!r} years", open_end=True).through(as_of)


def judge(store: Store, as_of: date | str, region: str | None = None) -> list[Status]:
    """The status of every agency × year known on `as_of` (configured years, plus any year looked at)."""
    as_of = _date(as_of)
    regions = [r for r in store.regions() if region is None or r["name"] == region]
    if region is not None and not regions:
        raise StoreError(f"unknown region {region!r}")
    reports = {(r["agency_id"], r["year"]): r for r in store.reports(region, as_of)}
    looks: dict[tuple[int, int], list[Look]] = defaultdict(list)
    for obs in store.observations(region, as_of):
        looks[(obs["agency_id"], obs["year"])].append(_look(obs))
    documents: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for doc in store.documents(as_of=as_of):
        documents[doc["report_id"]].append(doc)
    urls = store.report_urls(as_of)
    years_of: dict[int, set[int]] = defaultdict(set)
    for agency_id, year in [*looks, *reports]:
        years_of[agency_id].add(year)

    statuses: list[Status] = []
    for reg in regions:
        rules = deadline_rules(reg)
        years = watched_years(reg, as_of)
        for agency in store.agencies(reg["name"], as_of):
            for year in sorted(years_of[agency["id"]].union(years)):
                report = reports.get((agency["id"], year))
                statuses.append(
                    _judge_one(
                        reg["name"],
                        agency,
                        rules.deadline(agency["kind"], year),
                        report,
                        looks.get((agency["id"], year), []),
                        documents.get(report["id"], []) if report else [],
                        [u["url"] for u in urls.get(report["id"], [])] if report else [],
                        as_of,
                    )
                )
    return statuses


def _judge_one(
    region: str,
    agency: Mapping[str, Any],
    deadline: Deadline,
    report: Mapping[str, Any] | None,
    looks: list[Look],
    documents: list[dict[str, Any]],
    urls: list[str],
    as_of: date,
) -> Status:
    due = deadline.due
    base = dict(
        region=region,
        agency=agency["name"],
        agency_id=agency["id"],
        kind=agency["kind"],
        year=deadline.year,
        due=due,
        deadline_basis=deadline.basis,
        looks=tuple(looks),
    )
    if report is not None:
        return Status(**base, **_judge_published(report, looks, due), documents=tuple(_doc_evidence(documents)))
    if as_of <= due:
        return Status(**base, status="pending", reason_code="not_yet_due", reason=f"尚未到截止日期 {due}")
    after = [look for look in looks if look.observed_on > due]
    if not after:
        return Status(
            **base,
            status="unknown",
            reason_code="not_checked_since_due",
            reason=f"截止日期 {due} 已过，但此后尚未检查，无法判断是否发布",
        )
    last = after[-1]
    if last.result == "absent":
        return Status(
            **base,
            status="missing",
            reason_code="not_found_after_due",
            reason=f"截止日期 {due} 已过，{last.observed_on} 检查网站未找到{deadline.year}年度报告",
        )
    absent = [look for look in after if look.result == "absent"]
    earlier = f"（{absent[-1].observed_on} 检查时未找到）" if absent else ""
    return Status(
        **base,
        status="unknown",
        reason_code=f"could_not_look:{last.failure}",
        reason=f"截止日期 {due} 已过，但 {last.observed_on} 无法检查：{FAILURE_LABELS[last.failure]}{earlier}",
    )


def _judge_published(report: Mapping[str, Any], looks: list[Look], due: date) -> dict[str, Any]:
    first_seen = _date(report["first_seen"])
    source = report["published_on_source"]
    shown = _date(report["published_on"]) if report["published_on"] else None
    out: dict[str, Any] = dict(
        published_on=shown if source in PUBLICATION_DATE_SOURCES else None,
        published_on_source=source if source in PUBLICATION_DATE_SOURCES else None,
        first_seen=first_seen,
        report_id=report["id"],
        report_url=report["url"],
        removed_on=_removed_on(looks),
    )
    publication = out["published_on"]
    checks = [
        look.observed_on
        for look in looks
        if look.result == "absent" and look.observed_on < first_seen and publication and publication < look.observed_on
    ]
    if checks:
        out["backdated_check"] = checks[-1]
        code = "backdated"
        why = f"标注的发布日期 {publication} 早于 {checks[-1]} 的检查，但当时未找到该报告，日期不可信；首次发现于 {first_seen}"
        effective = first_seen
    elif publication is None:
        code = "first_seen_body_date_only" if shown else "first_seen_no_date"
        why = (f"页面只有落款日期 {shown}，没有发布日期" if shown else "页面未标注发布日期") + f"；首次发现于 {first_seen}"
        effective = first_seen
    elif first_seen < publication:
        code = "seen_before_shown_date"
        why = f"标注的发布日期为 {publication}，但 {first_seen} 已在网站上发现"
        effective = first_seen
    else:
        code = "shown_date"
        why = f"发布日期 {publication}"
        effective = publication
    if effective <= due:
        return {**out, "status": "on_time", "reason_code": code, "reason": f"{why}，不晚于截止日期 {due}"}
    return {**out, "status": "late", "reason_code": code, "reason": f"{why}，晚于截止日期 {due}"}


def _removed_on(looks: list[Look]) -> date | None:
    """The first trusted not-found after the last sighting, if the latest decisive look is a not-found."""
    decisive = [look for look in looks if look.result in ("found", "absent")]
    last_found = max((i for i, look in enumerate(decisive) if look.result == "found"), default=None)
    if last_found is None or last_found == len(decisive) - 1:
        return None
    return decisive[last_found + 1].observed_on


def _look(obs: Mapping[str, Any]) -> Look:
    if obs["outcome"] == "found":
        result, failure = "found", None
    elif obs["outcome"] == "could_not_look":
        result, failure = "failed", obs["reason"]
    elif trusted_look(obs):
        result, failure = "absent", None
    else:
        result = "failed"
        failure = "run_incomplete" if obs["run_state"] != "finished" else "run_suspect"
    return Look(
        observation_id=obs["id"],
        run_id=obs["run_id"],
        observed_on=_date(obs["observed_on"]),
        outcome=obs["outcome"],
        result=result,
        failure=failure,
        detail=obs["detail"],
    )


def _doc_evidence(documents: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    keys = ("url", "type", "sha256", "size", "first_seen", "last_seen", "warc_path", "warc_offset")
    return [{k: doc[k] for k in keys} for doc in documents]


# ---------------------------------------------------------------------- publication findings


def publication_findings(
    store: Store, as_of: date | str, region: str | None = None, statuses: list[Status] | None = None
) -> list[DatedFinding]:
    """publication.* findings (and date.before_year_end for a shown publication date) as of `as_of`."""
    as_of = _date(as_of)
    if statuses is None:
        statuses = judge(store, as_of, region)
    out: list[DatedFinding] = []
    for st in statuses:
        common = dict(region=st.region, agency=st.agency, year=st.year, report_id=st.report_id)
        if st.status == "missing":
            out.append(
                DatedFinding(
                    "publication.missing", "error", st.reason, "发布情况", on=_first_absent_after(st), **common
                )
            )
        if st.status == "late":
            on = st.first_seen if st.reason_code != "shown_date" else st.published_on
            out.append(DatedFinding("publication.late", "error", st.reason, "发布时间", on=on, **common))
        if st.backdated_check is not None:
            message = (
                f"{st.year}年度报告标注的发布日期 {st.published_on} 早于 {st.backdated_check} 的检查，"
                f"但当时网站上没有该报告；首次发现于 {st.first_seen}"
            )
            out.append(DatedFinding("publication.backdated", "warning", message, "发布日期", on=st.first_seen, **common))
        if st.removed_on is not None:
            message = (
                f"{st.year}年度报告曾于 {st.first_seen} 发现（{st.report_url}），{st.removed_on} 检查时已不在网站上；"
                "已保存的证据仍保留"
            )
            out.append(DatedFinding("publication.removed", "warning", message, "发布情况", on=st.removed_on, **common))
        if st.published_on is not None and st.published_on <= date(st.year, 12, 31):
            message = f"{st.year}年度报告的发布日期 {st.published_on} 不晚于报告年度结束（{st.year}-12-31）"
            out.append(DatedFinding("date.before_year_end", "error", message, "发布日期", on=st.first_seen, **common))
        out.extend(_changed(st, common))
    return out


def _changed(st: Status, common: Mapping[str, Any]) -> list[DatedFinding]:
    by_url: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for doc in st.documents:
        by_url[doc["url"]].append(doc)
    out = []
    for url, versions in by_url.items():
        if len(versions) < 2:
            continue
        versions = sorted(versions, key=lambda d: d["first_seen"])
        history = "；".join(f"{v['first_seen']} 起 sha256 {v['sha256'][:12]}…" for v in versions)
        message = f"{st.year}年度报告的文件在首次发现后被修改过（共 {len(versions)} 个版本，均已保存）：{history}"
        cells = [{"sha256": v["sha256"], "first_seen": v["first_seen"]} for v in versions]
        out.append(
            DatedFinding(
                "publication.changed",
                "warning",
                message,
                url,
                on=_date(versions[-1]["first_seen"]),
                document_url=url,
                cells=cells,
                **common,
            )
        )
    return out


def current_documents(store: Store, as_of: date | str) -> dict[int, dict[str, Any]]:
    """document id → row, for the latest version (as of `as_of`) of every report document URL."""
    latest: dict[tuple[int, str], dict[str, Any]] = {}
    for doc in store.documents(as_of=as_of):  # oldest first, so the last one per URL wins
        latest[(doc["report_id"], doc["url"])] = doc
    return {doc["id"]: doc for doc in latest.values()}


def stored_findings(store: Store, as_of: date | str, region: str | None = None) -> list[DatedFinding]:
    """The checker's findings kept in the store and current on `as_of`, as DatedFindings.  Findings of
    document versions that were since replaced by a newer version are history, not current."""
    names = {a["id"]: a["name"] for a in store.agencies(region)}
    current = current_documents(store, as_of)
    return [
        DatedFinding(
            rule=row["rule"],
            severity=row["severity"],
            message=row["message"],
            where=row["location"],
            region=row["region"],
            agency=names.get(row["agency_id"]),
            year=row["year"],
            on=_date(row["first_seen"]),
            report_id=row["report_id"],
            document_id=row["document_id"],
            document_url=current[row["document_id"]]["url"] if row["document_id"] else None,
            cells=row["cells"],
        )
        for row in store.findings(region, as_of)
        if row["document_id"] is None or row["document_id"] in current
    ]


def _first_absent_after(st: Status) -> date:
    return next(look.observed_on for look in st.looks if look.result == "absent" and look.observed_on > st.due)


# ---------------------------------------------------------------------- what changed


def changes_between(store: Store, since: date | str, as_of: date | str, region: str | None = None) -> Changes:
    """What happened in (since, as_of]: status changes, findings that appeared or went away, reports
    first seen, new versions of known documents, failed fetches, and the runs (with their flags)."""
    since, as_of = _date(since), _date(as_of)
    before = {s.key: s for s in judge(store, since, region)}
    after = judge(store, as_of, region)
    changes = Changes(since=since, as_of=as_of)
    for st in after:
        old = before.get(st.key)
        if old is None or old.status != st.status:
            changes.status_changes.append((old, st))

    old_findings = {f.key: f for f in publication_findings(store, since, region, list(before.values()))}
    old_findings.update((f.key, f) for f in stored_findings(store, since, region))
    new_findings = {f.key: f for f in publication_findings(store, as_of, region, after)}
    new_findings.update((f.key, f) for f in stored_findings(store, as_of, region))
    changes.new_findings.extend(f for k, f in new_findings.items() if k not in old_findings)
    changes.resolved_findings.extend(f for k, f in old_findings.items() if k not in new_findings)
    iso_since = since.isoformat()

    changes.new_reports = [r for r in store.reports(region, as_of) if r["first_seen"] > iso_since]
    region_reports = {r["id"] for r in store.reports(region, as_of)}
    seen_urls: set[tuple[int, str]] = set()
    for doc in store.documents(as_of=as_of):
        if doc["report_id"] not in region_reports:
            continue
        key = (doc["report_id"], doc["url"])
        if key in seen_urls and doc["first_seen"] > iso_since:
            changes.new_versions.append(doc)
        seen_urls.add(key)
    changes.fetch_failures = store.fetch_failures(region, since, as_of)
    changes.runs = [r for r in store.runs(region, as_of) if r["as_of"] > iso_since]
    return changes


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
