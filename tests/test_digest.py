"""The digest: what changed between two crawls, as stated by tests/dashboard_history.py; mailed to a real
SMTP server (aiosmtpd on 127.0.0.1) through the CLI."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from lxml import html as lxml_html

from monitor.digest import build_digest, last_digest
from monitor.explain import explain
from monitor.store import Store
from tests.dashboard_history import AS_OF, EVIL_AGENCY, EVIL_MESSAGE, EVIL_TITLE, RUN1, build_history

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_history(tmp_path_factory.mktemp("history"))


@pytest.fixture
def fresh_db(db, tmp_path):
    """A copy (the CLI records digests in the database) next to the WARC files it does not need."""
    copy = tmp_path / "monitor.db"
    copy.write_bytes(db.read_bytes())
    return copy


def _names(items):
    return {(i.agency, i.year) for i in items}


def test_changes_between_the_two_crawls(db):
    with Store.open(db) as store:
        d = build_digest(store, date.fromisoformat(RUN1), date.fromisoformat(AS_OF))
    # Ground truth: dashboard_history's timeline between 2024-01-20 and 2024-02-20.
    assert {(i.agency, i.year, i.status.status) for i in d.newly_late} == {
        ("示例区财政局", 2023, "late"), ("示例区农业农村局", 2023, "late"), ("示例区卫生健康委员会", 2023, "missing")}
    assert _names(d.newly_published) == {("示例区财政局", 2023), ("示例区农业农村局", 2023)}
    assert _names(d.still_missing) == {("示例区卫生健康委员会", 2022)}
    assert {(i.agency, i.findings[0].rule) for i in d.changed_or_removed} == {
        ("示例区人力资源和社会保障局", "publication.changed"), ("示例区住房和城乡建设局", "publication.removed")}
    assert _names(d.could_not_check) == {("某某街道办事处", 2023)}
    assert "示例区商务局" not in {i.agency for i in d.new_defects}  # its defect was known before RUN1
    assert all(not f.rule.startswith("publication.") for i in d.new_defects for f in i.findings)
    assert "robots.txt" in d.html and "不算机关未发布" in d.html


def test_new_defects_are_explained_and_hostile_text_escaped(db):
    with Store.open(db) as store:
        d = build_digest(store, date(2024, 1, 1), date.fromisoformat(AS_OF))
    evil = next(i for i in d.new_defects if i.agency == EVIL_AGENCY)
    assert EVIL_MESSAGE in {f.message for f in evil.findings}
    doc = lxml_html.fromstring(d.html)
    assert not doc.xpath("//script | //img | //link | //iframe | //*[@src]")
    assert not [el for el in doc.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)]
    text = doc.text_content()
    for hostile in (EVIL_AGENCY, EVIL_MESSAGE, EVIL_TITLE):
        assert hostile in text
    assert explain("content.copied").title in text and explain("content.copied").action in text
    assert EVIL_AGENCY in d.text and "<" not in d.text.replace(EVIL_AGENCY, "").replace(EVIL_MESSAGE, "")
    assert all(not a.get("href", "").lower().startswith("javascript") for a in doc.xpath("//a"))


def test_empty_period_says_so(db):
    with Store.open(db) as store:
        d = build_digest(store, date(2024, 3, 1), date(2024, 3, 2))
    # Nothing crawled; the government's deadline (03-31) has not passed: no news, only the reminder.
    assert not (d.newly_late or d.newly_published or d.new_defects or d.changed_or_removed or d.could_not_check)
    assert _names(d.still_missing) == {("示例区卫生健康委员会", 2022), ("示例区卫生健康委员会", 2023)}
    assert "本期没有进行过检查" in d.html and "本期没有新增逾期" in d.html
    with pytest.raises(ValueError):
        build_digest(Store.open(db), date(2024, 3, 2), date(2024, 3, 2))


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "digest", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_since_defaults_to_the_last_digest(fresh_db, tmp_path):
    first = _cli("--db", str(fresh_db), "--out", str(tmp_path / "a.html"), "--as-of", "2024-01-25")
    assert first.returncode == 0, first.stderr
    assert "2024-01-18 .. 2024-01-25" in first.stdout  # the first digest covers a week
    second = _cli("--db", str(fresh_db), "--out", str(tmp_path / "b.html"), "--as-of", AS_OF)
    assert second.returncode == 0, second.stderr
    assert f"2024-01-25 .. {AS_OF}" in second.stdout
    assert "上次周报截至 2024年1月25日" in (tmp_path / "b.html").read_text(encoding="utf-8")
    with Store.open(fresh_db) as store:
        assert last_digest(store, date(2024, 12, 31)) == date.fromisoformat(AS_OF)


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_digest_is_mailed_with_text_and_html_parts(fresh_db, tmp_path, smtp_server):
    controller, inbox = smtp_server
    out = tmp_path / "digest.html"
    done = _cli("--db", str(fresh_db), "--out", str(out), "--since", RUN1, "--as-of", AS_OF,
                "--smtp", f"127.0.0.1:{controller.port}", "--to", "gongkaiban@example.org")
    assert done.returncode == 0, done.stderr
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["gongkaiban@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "年报哨兵周报：2024年1月20日至2024年2月20日的变化"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    rich = message.get_body(("html",)).get_content()
    assert rich.replace("\r\n", "\n") == out.read_text(encoding="utf-8")  # SMTP lines end in CRLF
    assert "示例区卫生健康委员会" in plain and "新增逾期（3）" in plain
    with Store.open(fresh_db) as store:
        rows = list(store.db.query("SELECT mailed_to FROM digest_log"))
    assert rows == [{"mailed_to": "gongkaiban@example.org"}]


def test_undeliverable_mail_is_an_error_but_the_digest_is_written(fresh_db, tmp_path):
    out = tmp_path / "digest.html"
    done = _cli("--db", str(fresh_db), "--out", str(out), "--as-of", AS_OF,
                "--smtp", f"127.0.0.1:{_free_port()}", "--to", "x@example.org")
    assert done.returncode == 1 and "not mailed" in done.stderr and "Traceback" not in done.stderr
    assert out.is_file()


@pytest.mark.parametrize("args, needle", [
    (("--smtp", "127.0.0.1:25"), "--smtp and --to go together"),
    (("--smtp", "localhost", "--to", "x@example.org"), "HOST:PORT"),
    (("--since", "2024-03-01"), "must be before"),
    (("--since", "yesterday"), "not a date"),
])
def test_bad_arguments_exit_2_with_one_line(fresh_db, tmp_path, args, needle):
    done = _cli("--db", str(fresh_db), "--out", str(tmp_path / "d.html"), "--as-of", AS_OF, *args)
    assert done.returncode == 2 and needle in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
