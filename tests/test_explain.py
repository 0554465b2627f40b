"""Every rule id the code can emit has its own plain-Chinese explanation (users see it on the dashboard
and in the digest); the generic fallback is only a safety net for rules added without one."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.explain import explain, known_rules

ROOT = Path(__file__).resolve().parent.parent
RULE_LITERAL = re.compile(
    r"[\"'](structure|format|table|identity|period|date|text|content|crossyear|publication|site)\.([a-z0-9_]+)[\"']")


def emitted_rule_ids() -> set[str]:
    ids = set()
    for folder in ("monitor", "crawlers"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "explain.py":
                continue
            for family, name in RULE_LITERAL.findall(path.read_text(encoding="utf-8")):
                ids.add(f"{family}.{name}")
    return ids


def test_every_emitted_rule_is_explained():
    emitted = emitted_rule_ids()
    assert {"identity.t3_balance", "content.not_report", "site.robots_disallow"} <= emitted  # the scan works
    assert sorted(emitted - set(known_rules())) == []


def test_explanations_are_chinese_and_complete():
    for rule in known_rules():
        e = explain(rule)
        for text in (e.title, e.meaning, e.action):
            assert text and re.search(r"[\u4e00-\u9fff]", text), (rule, text)
