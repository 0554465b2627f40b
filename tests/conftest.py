"""Suite-wide plumbing: required external tools, and keeping each heavy fixture on one xdist worker.

Required tools.  A test that needs a Debian program says so with ``@pytest.mark.requires("soffice")``
(names in TOOLS).  When the program is missing the test is skipped on a developer's machine, but under
CI (``CI=true``) it fails: there a missing tool is a broken set-up, never a reason to test less.  Python
packages are hard dependencies (pinned in the lock file) and are imported plainly, never importorskip'd.

One build per heavy fixture.  ``./run test`` distributes with ``--dist loadgroup``: tests that share an
``xdist_group`` run on one worker.  Every test that uses a module- or session-scoped fixture of this
suite is put in a group here, one group per set of such fixtures used together, so a module fixture
(a world of 13 crawls, a crawled acceptance region) is built once, not once on each worker.  Tests
without such fixtures keep no group and fill in wherever a worker is free; xdist queues the largest
groups first, so the long ones start early.  An explicit ``xdist_group`` mark is left as it is.  xdist
shows a grouped test's id with its group after "@" (``tests/test_x.py::test_y@test_x.world``); to run
one test alone, leave the "@…" out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable

import pytest

TOOLS: dict[str, Callable[[], bool]] = {
    "chromium": lambda: os.access("/usr/bin/chromium", os.X_OK),  # Debian's; settings.py launches it
    "soffice": lambda: bool(shutil.which("soffice") or shutil.which("libreoffice")),
    "antiword": lambda: bool(shutil.which("antiword")),
}
SHARED_SCOPES = {"session", "package", "module", "class"}
UNGROUPED = pytest.StashKey[str]()


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"requires(*tools): needs these Debian programs ({', '.join(TOOLS)}); "
                                       "skipped when one is missing, failed under CI=true")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if UNGROUPED in item.stash:
        pytest.fail(item.stash[UNGROUPED], pytrace=False)
    tools = [tool for mark in item.iter_markers("requires") for tool in mark.args]
    if unknown := sorted(set(tools) - set(TOOLS)):
        raise pytest.UsageError(f"{item.nodeid}: requires() names unknown tools {unknown}; known: {sorted(TOOLS)}")
    if missing := [tool for tool in dict.fromkeys(tools) if not TOOLS[tool]()]:
        message = f"not installed: {', '.join(missing)} (./run setup installs them)"
        if under_ci():
            pytest.fail(f"{message}; under CI a missing required tool fails the test", pytrace=False)
        pytest.skip(message)


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The module/session-scoped fixtures of this suite (not pytest's own) that the test uses."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    out = []
    for name in info.names_closure:
        defs = info.name2fixturedefs.get(name)
        if not defs:
            continue
        fixturedef = defs[-1]
        if fixturedef.scope in SHARED_SCOPES and fixturedef.func.__module__.startswith("tests."):
            # A module (or class) fixture is built once per module that uses it, wherever it is defined:
            # the group is that module's, so modules sharing one helper fixture still spread over workers.
            home = item.module.__name__ if fixturedef.scope in ("module", "class") else fixturedef.func.__module__
            out.append(f"{home}.{name}")
    return out


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    _group_by_shared_fixtures(items)  # before xdist's own hook, which writes the groups into the node ids
    result = yield
    _check_groups_reach_xdist(config, items)
    return result


def _group_by_shared_fixtures(items: list[pytest.Item]) -> None:
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    uses = {}
    for item in items:
        if item.get_closest_marker("xdist_group") is None and (fixtures := _shared_fixtures(item)):
            uses[item] = fixtures
            for other in fixtures[1:]:
                parent[find(other)] = find(fixtures[0])
    for item, fixtures in uses.items():
        item.add_marker(pytest.mark.xdist_group(find(fixtures[0]).removeprefix("tests.")))


def _check_groups_reach_xdist(config: pytest.Config, items: list[pytest.Item]) -> None:
    """xdist passes a test's group to its scheduler as a "@group" suffix of the node id; pytest 9.2 keeps
    node ids where that write no longer reaches, and loadgroup silently stopped grouping (pytest-xdist#1386).
    Then every grouped test fails at set-up with the reason, instead of each heavy fixture being built on
    both workers unnoticed (an error raised here, in a worker, would reach the terminal without its text)."""
    if not config.getoption("loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is not None and "@" not in item.nodeid:
            item.stash[UNGROUPED] = ("--dist loadgroup does not group tests with this pytest and pytest-xdist "
                                     "(pytest-xdist#1386): keep pytest at the version pyproject.toml pins")
