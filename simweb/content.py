"""Where served documents come from: the report generator (simweb/reportgen), cached.

Families never build report text themselves: they ask the content source for a report's inline
HTML body or its file bytes, for the version that is current on the simulated day (a report
"changed after publication" has a second version).  Rendering PDFs and Word files costs
milliseconds to a second each, so results are cached in memory (bounded) and optionally on disk (keyed by the spec, the format and the generator's
source, so a changed generator never serves stale files);
the async variants run the renderer in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import html
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.extract.soffice import MAX_BATCH
from simweb.model import Entry, NoiseItem, Region, ReportItem, World

EXTENSIONS = {"pdf": "pdf", "pdf-image": "pdf", "docx": "docx", "doc": "doc", "wps": "wps"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/kswps",
}
# The generator's format for each served form (a WPS file here is the Word 97 binary WPS saves).
RENDER_FORMAT = {"pdf": "pdf", "pdf-image": "pdf-image", "docx": "docx", "doc": "doc", "wps": "doc"}


@dataclass(frozen=True)
class Document:
    data: bytes
    ext: str  # file extension without the dot
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class ContentSource:
    def __init__(self, world: World, *, cache_dir: Path | None = None, max_items: int = 16384) -> None:
        self.world = world
        self.cache_dir = cache_dir
        self.max_items = max_items
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._word_locks: dict[tuple[str, int], threading.Lock] = {}

    # -- specs -------------------------------------------------------------------------------

    def spec(self, entry: ReportItem | NoiseItem, version: int = 1) -> Any:
        key = ("spec", entry.region_id, entry.id, version)
        cached = self._get(key)
        if cached is not None:
            return cached
        return self._put(key, report_spec(self.world.region(entry.region_id), entry, version))

    # -- inline HTML -------------------------------------------------------------------------

    def body_html(self, entry: Entry, version: int = 1) -> str:
        """The article body fragment (no chrome) for an entry's page."""
        key = ("body", entry.region_id, entry.id, version)
        cached = self._get(key)
        if cached is not None:
            return cached
        if isinstance(entry, ReportItem) or entry.kind == "higher_level":
            from simweb.reportgen import render_html_body

            body = render_html_body(self.spec(entry, version))
        else:
            body = noise_body(self.world.region(entry.region_id), entry)
        return self._put(key, body)

    # -- files -------------------------------------------------------------------------------

    def document(self, entry: ReportItem, version: int = 1) -> Document:
        """The attachment of a report published as PDF / image PDF / DOCX / DOC / WPS."""
        if entry.doc_form == "html":
            raise ValueError(f"{entry.id} is published inline, it has no attachment")
        key = ("doc", entry.region_id, entry.id, version)
        cached = self._get(key)
        if cached is not None:
            return cached
        spec = self.spec(entry, version)
        fmt = RENDER_FORMAT[entry.doc_form]
        data = self._disk_read((repr(spec), fmt))
        if data is not None:
            return self._keep_document(entry, version, data, on_disk=True)
        if fmt == "doc":
            return self._word_file_with_siblings(entry, version)
        from simweb.reportgen import render

        return self._keep_document(entry, version, render(spec, fmt))

    def _word_file_with_siblings(self, entry: ReportItem, version: int) -> Document:
        """A Word 97 file (.doc / .wps), rendered with the region's other unrendered ones of its year.

        soffice converts up to MAX_BATCH files in one start (16: about 2.5 s) where each alone costs a start (1.5 s,
        more on a loaded machine), and a crawler that fetched one of a year's files fetches the others
        soon.  Only unedited siblings come along (an edited one's version depends on the clock).  One
        batch at a time per region and year: a sibling's request waits for it and finds its file."""
        key = ("doc", entry.region_id, entry.id, version)
        with self._lock:
            batch_lock = self._word_locks.setdefault((entry.region_id, entry.year), threading.Lock())
        with batch_lock:
            cached = self._get(key)
            if cached is not None:
                return cached
            region = self.world.region(entry.region_id)
            siblings = [(e, 1) for e in region.reports
                        if e is not entry and e.year == entry.year and RENDER_FORMAT.get(e.doc_form) == "doc"
                        and e.changed_on is None and self._get(("doc", e.region_id, e.id, 1)) is None
                        and self._disk_read((repr(self.spec(e, 1)), "doc")) is None]
            todo = [(entry, version), *siblings[:MAX_BATCH - 1]]
            from simweb.reportgen import render_docs

            docs = [self._keep_document(e, v, data)
                    for (e, v), data in zip(todo, render_docs([self.spec(e, v) for e, v in todo]))]
            return docs[0]

    def _keep_document(self, entry: ReportItem, version: int, data: bytes, *, on_disk: bool = False) -> Document:
        if not on_disk:
            self._disk_write((repr(self.spec(entry, version)), RENDER_FORMAT[entry.doc_form]), data)
        ext = EXTENSIONS[entry.doc_form]
        return self._put(("doc", entry.region_id, entry.id, version), Document(data, ext, CONTENT_TYPES[ext]))

    async def document_async(self, entry: ReportItem, version: int = 1) -> Document:
        key = ("doc", entry.region_id, entry.id, version)
        cached = self._get(key)
        if cached is not None:
            return cached
        return await asyncio.get_running_loop().run_in_executor(None, self.document, entry, version)

    async def body_html_async(self, entry: Entry, version: int = 1) -> str:
        key = ("body", entry.region_id, entry.id, version)
        cached = self._get(key)
        if cached is not None:
            return cached
        return await asyncio.get_running_loop().run_in_executor(None, self.body_html, entry, version)

    # -- cache -------------------------------------------------------------------------------

    def _get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
            return value

    def _put(self, key: tuple[Any, ...], value: Any) -> Any:
        with self._lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_items:
                self._cache.popitem(last=False)
        return value

    def _disk_path(self, key: tuple[Any, ...]) -> Path | None:
        if self.cache_dir is None:
            return None
        name = hashlib.sha256(repr((_generator_fingerprint(), key)).encode()).hexdigest()
        return self.cache_dir / name[:2] / name

    def _disk_read(self, key: tuple[Any, ...]) -> bytes | None:
        path = self._disk_path(key)
        if path is None or not path.exists():
            return None
        return path.read_bytes()

    def _disk_write(self, key: tuple[Any, ...], data: bytes) -> None:
        path = self._disk_path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temporary name of its own: two xdist workers (or two threads) may write one key at once.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


@functools.cache
def _generator_fingerprint() -> str:
    """A hash of the report generator's source: disk-cached files die with any change to it."""
    import simweb.reportgen as rg

    h = hashlib.sha256()
    for path in sorted(Path(rg.__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _report_spec(entry: ReportItem, agency: str, kind: str, version: int) -> Any:
    """Version 1 is the report as published; the edit after publication (version 2) fixes the
    injected defects, or, when there were none, revises the numbers (another seed)."""
    from simweb.reportgen import make_spec

    defects, seed = entry.defects, entry.spec_seed
    if version == 2:
        defects, seed = ((), seed) if defects else ((), seed + 7919)
    return make_spec(seed, agency=agency, kind=kind, year=entry.year, defects=defects, size=entry.size)


def report_spec(region: Region, entry: ReportItem | NoiseItem, version: int = 1) -> Any:
    """The generator's ReportSpec for a report (version 2: edited after publication) or for the
    higher-level report a noise item reposts."""
    from simweb.reportgen import make_spec

    if isinstance(entry, ReportItem):
        agency = region.agency(entry.agency_id)
        return _report_spec(entry, agency.name, agency.kind, version)
    if entry.kind == "higher_level":
        return make_spec(entry.spec_seed, agency=entry.about_name, kind="government", year=entry.year)
    raise ValueError(f"{entry.id} ({entry.kind}) has no report spec")


def expected_rules(region: Region, entry: ReportItem, version: int = 1) -> list[str]:
    """What a checker must find in the document as served (a scan shows only content.no_text)."""
    agency = region.agency(entry.agency_id)
    return list(_expected_rules(entry, agency.name, agency.kind, version))


@functools.lru_cache(maxsize=65536)
def _expected_rules(entry: ReportItem, agency: str, kind: str, version: int) -> tuple[str, ...]:
    # Cached: a benchmark manifest asks for 15,000 of these, and make_spec costs milliseconds.
    from simweb.reportgen import expected_rules_for

    fmt = "html" if entry.doc_form == "html" else RENDER_FORMAT[entry.doc_form]
    return tuple(sorted(expected_rules_for(_report_spec(entry, agency, kind, version), fmt)))


def noise_body(region: Region, item: NoiseItem) -> str:
    """Short article text for items that are not reports (解读, 要点, news …).

    They must read like the real thing to a title-and-body classifier: a 解读 quotes the report's
    subject and year, a 工作要点 talks about the coming year, news is news.
    """
    rng = region.rng("noise-body", item.id)
    who = region.agency(item.agency_id).name if item.agency_id else region.name
    y = item.year
    paras: list[str]
    if item.kind == "jiedu":
        paras = [
            f"近日，{who}发布了《{y}年政府信息公开工作年度报告》。为便于公众理解，现就报告主要内容解读如下。",
            f"一、主动公开情况。{y}年，主动公开政府信息{rng.randrange(80, 900)}条，其中政策文件{rng.randrange(5, 60)}件。",
            f"二、依申请公开情况。全年共收到政府信息公开申请{rng.randrange(0, 40)}件，均在法定期限内答复。",
            "三、下一步工作。将进一步加强政策解读，提升政务公开质量。",
        ]
    elif item.kind == "explanation":
        paras = [
            f"根据《中华人民共和国政府信息公开条例》规定，现将{who}{y}年政府信息公开工作年度报告有关情况说明如下：",
            "本单位年度报告已按规定报送县政府信息公开工作主管部门，统一在门户网站政府信息公开专栏发布。",
            "如对报告内容有疑问，请与本单位办公室联系。",
        ]
    elif item.kind == "work_points":
        paras = [
            f"为深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，结合我县实际，制定{y + 1}年政务公开工作要点。",
            "一、围绕稳定经济增长加强政务公开。二、围绕优化营商环境加强政务公开。三、加强政策解读回应。",
            "四、夯实政务公开工作基础，规范政府信息公开年度报告编制发布工作。",
        ]
    elif item.kind == "fazhi":
        paras = [
            f"{y}年，在县委、县政府的坚强领导下，{who}深入学习贯彻习近平法治思想，法治政府建设取得新成效。",
            "一、主要举措和成效。（一）依法全面履行政府职能。（二）完善依法行政制度体系。",
            "二、存在的不足和原因。三、下一年度推进法治政府建设的主要安排。",
        ]
    elif item.kind == "budget":
        paras = [
            f"根据预算法有关规定，现将{who}{y + 1}年部门预算公开如下。",
            f"一、部门基本情况。二、收支预算总表。三、一般公共预算支出{rng.randrange(200, 9000)}万元。",
        ]
    else:  # news
        paras = [
            f"{y + 1}年{rng.randrange(1, 4)}月{rng.randrange(1, 28)}日，{who}召开政务公开工作推进会，传达学习上级有关文件精神。",
            "会议要求，各股室要高度重视政务公开工作，及时更新公开内容，确保信息准确、完整。",
        ]
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
