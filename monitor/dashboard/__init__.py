"""The static dashboard: `build_dashboard(store, out, as_of)` writes a site that opens from file://.

Modules: collect (one snapshot of store + judge), chart (publication dates against deadlines, as SVG
geometry), evidence (archived copies out of the WARC files), tables (the report's tables re-read from
the archive, offending cells marked), render (the Jinja2 environment, shared with the digest), build
(writes the pages).
"""

from monitor.dashboard.build import BuildResult, build_dashboard

__all__ = ["BuildResult", "build_dashboard"]
