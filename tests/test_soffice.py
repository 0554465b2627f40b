"""LibreOffice conversions, many files per start (monitor/extract/soffice.py), with the real soffice.

A wrapper named soffice, first on PATH, runs the real program and writes one line per start with the
number of files it was given: what the tests count starts with.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
from datetime import date

import pytest

from monitor.extract import limits, soffice
from monitor.extract.docx import extract_docx
from simweb.content import ContentSource
from simweb.model import build_world
from simweb.reportgen import docx_render, make_spec, render_docs

pytestmark = pytest.mark.requires("soffice")
TO_DOCX = "docx:MS Word 2007 XML"


@pytest.fixture(scope="module")
def docs() -> list[bytes]:
    """Six Word 97 reports, each a different agency's."""
    return render_docs([make_spec(700 + n, agency=f"测试县第{n}局", year=2023) for n in range(6)])


@pytest.fixture
def starts(tmp_path, monkeypatch):
    """The soffice starts made during the test: a list of the number of files each was given."""
    log = tmp_path / "starts.log"
    wrapper = tmp_path / "bin" / "soffice"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nn=0; for a in "$@"; do [ -f "$a" ] && n=$((n+1)); done\n'
                       f'echo $n >> {log}\nexec {shutil.which("soffice")} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    return lambda: [int(line) for line in log.read_text().split()] if log.exists() else []


def _text(docx_bytes: bytes) -> str:
    return extract_docx(docx_bytes).text


def test_files_converted_together_share_one_start_and_read_as_when_converted_alone(docs, starts):
    together = soffice.convert_many([(data, ".doc") for data in docs], TO_DOCX)
    assert starts() == [len(docs)]
    alone = soffice.convert(docs[0], ".doc", TO_DOCX)
    assert starts() == [len(docs), 1]
    assert _text(together[0]) == _text(alone)
    for n, converted in enumerate(together):
        assert f"测试县第{n}局" in _text(converted)  # each result is its own file's, in order


def test_a_broken_file_in_a_batch_fails_alone_and_the_others_convert(docs, starts):
    broken = docs[1][:4096]  # a Word file cut short: LibreOffice writes nothing for it
    results = soffice.convert_many([(docs[0], ".doc"), (broken, ".doc"), (docs[2], ".doc")], TO_DOCX)
    assert isinstance(results[1], soffice.ConversionError) and not results[1].timed_out
    assert "测试县第0局" in _text(results[0]) and "测试县第2局" in _text(results[2])
    assert starts()[0] == 3 and 1 in starts()[1:]  # the batch, then the broken file again on its own


def test_callers_arriving_while_soffice_runs_are_converted_in_the_next_start(docs, starts):
    results: dict[int, bytes | soffice.ConversionError] = {}

    def ask(n: int) -> None:
        results[n] = soffice.convert(docs[n], ".doc", TO_DOCX)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(len(docs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(f"测试县第{n}局" in _text(results[n]) for n in range(len(docs)))
    assert sum(starts()) == len(docs) and len(starts()) < len(docs)


def test_the_same_file_asked_for_twice_at_once_is_converted_once(docs, starts):
    results = soffice.convert_many([(docs[3], ".doc"), (docs[3], ".doc")], TO_DOCX)
    assert results[0] == results[1] and starts() == [1]


def test_a_start_out_of_time_is_killed_and_its_profile_thrown_away(docs, monkeypatch):
    soffice.convert(docs[0], ".doc", TO_DOCX)  # the process's profile exists now
    profile = soffice._profile(os.getpid())
    assert profile.is_dir()
    monkeypatch.setattr(limits, "SOFFICE_TIMEOUT", 0.2)
    monkeypatch.setattr(limits, "SOFFICE_SECONDS_PER_FILE", 0.0)
    with pytest.raises(soffice.ConversionError) as raised:
        soffice.convert(docs[4], ".doc", TO_DOCX)
    assert raised.value.timed_out and not profile.exists()
    monkeypatch.undo()
    assert "测试县第4局" in _text(soffice.convert(docs[4], ".doc", TO_DOCX))  # a fresh profile works


def test_simweb_renders_a_years_word_files_together_when_one_is_asked_for(starts, tmp_path, monkeypatch):
    """A crawler that fetched one of a region's .doc/.wps of a year fetches the rest soon: simweb renders
    them in the start of the first, and serves each sibling its own report without another start."""
    monkeypatch.setattr(docx_render, "CACHE_DIR", tmp_path / "rendered")  # none rendered before
    world = build_world(3, 1, today=date(2024, 3, 1), families=["hanweb_classic"])
    content = ContentSource(world)
    word = [e for e in world.regions[0].reports if e.doc_form in ("doc", "wps") and e.changed_on is None]
    year = [e for e in word if e.year == word[0].year]
    assert len(year) >= 2  # seed 3 has a year of several
    served = [content.document(entry) for entry in year]
    assert starts() == [len(year)]
    texts = [_text(d) for d in soffice.convert_many([(doc.data, f".{doc.ext}") for doc in served], TO_DOCX)]
    for entry, text in zip(year, texts):
        assert content.spec(entry).agency in text and f"{entry.year}年" in text
