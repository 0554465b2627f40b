"""Site families, one module each.  Importing this package imports every module in it, so each
module's `@register` fills FAMILIES; `family_names()` gives them in a stable order."""

from __future__ import annotations

import importlib
import pkgutil

from simweb.families.base import FAMILIES, Family, ItemUrls, Site, Url, register

PREFERRED_ORDER = (
    "hanweb_classic", "hanweb_jpaas", "trs", "gkmlpt", "vsb", "matrix", "iframe", "jsonly",
    "xxgk_shtml", "aspnet_gk", "beijing", "hunan", "single_article", "truecms", "epoint",
)

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod != "base":
        importlib.import_module(f"{__name__}.{_mod}")


def family_names() -> list[str]:
    """Registered family names: the preferred order first, then any others alphabetically."""
    known = [n for n in PREFERRED_ORDER if n in FAMILIES]
    return known + sorted(n for n in FAMILIES if n not in PREFERRED_ORDER)


__all__ = ["FAMILIES", "Family", "ItemUrls", "Site", "Url", "family_names", "register"]
