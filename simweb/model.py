"""The deterministic world behind the simulated government web.

A *world* is a set of fictional regions (县/区).  Each region is the county's portal plus the
government itself, its departments and its 乡镇/街道 ("agencies"); each agency owes one
政府信息公开工作年度报告 per year, and the world decides, from the seed alone, which of those reports
exist, when each one really appeared, what date it shows, how it is titled, in what form it is
published, which defects its text carries, and which non-report items sit beside them in the 年报
columns.  Site families (simweb/families/) only decide how this is *served*; the manifest built
from this model is the ground truth a crawler is scored against.

Everything here is pure data and arithmetic on the seed: no clock, no network, no rendering.  The
real "today" of a running server is the simulated clock (simweb/clock.py); `today` given to
`build_world` only fixes which report years exist by default and keeps every date the world
invents (migrations, removals) on or before it where that matters.

This module is the package's one front door: the code lives in simweb/records.py (the records and
their vocabulary), simweb/region.py (Region, World, scales), simweb/seeding.py (seeded streams),
simweb/builder.py (build_world) with simweb/agencies.py, simweb/report_items.py and
simweb/noise.py; every name other code imports is re-exported here.
"""

from __future__ import annotations

from simweb.builder import build_world
from simweb.records import (
    DOC_FORM_WEIGHTS,
    DOC_FORMS,
    ENCODINGS,
    GROUP_LABELS,
    GROUP_OF_KIND,
    NO_FAULTS,
    NOISE_KINDS,
    TITLE_VARIANTS,
    TITLE_WEIGHTS,
    TRANSIENT_KINDS,
    Agency,
    AgencyKind,
    Column,
    DocForm,
    Encoding,
    Entry,
    Faults,
    Group,
    NoiseItem,
    ReportItem,
    Timing,
)
from simweb.region import SCALES, Region, Scale, World
from simweb.seeding import stable_hash

__all__ = [
    "DOC_FORMS",
    "DOC_FORM_WEIGHTS",
    "ENCODINGS",
    "GROUP_LABELS",
    "GROUP_OF_KIND",
    "NOISE_KINDS",
    "NO_FAULTS",
    "SCALES",
    "TITLE_VARIANTS",
    "TITLE_WEIGHTS",
    "TRANSIENT_KINDS",
    "Agency",
    "AgencyKind",
    "Column",
    "DocForm",
    "Encoding",
    "Entry",
    "Faults",
    "Group",
    "NoiseItem",
    "Region",
    "ReportItem",
    "Scale",
    "Timing",
    "World",
    "build_world",
    "stable_hash",
]
