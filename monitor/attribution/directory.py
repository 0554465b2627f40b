"""The region's units as its unit directories list them, to resolve short and abbreviated names
(商务局, 人社局, 县政府) to one full name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .names import agency_kind, clean_name, expand_name, is_abbreviation, looks_like_agency


@dataclass(frozen=True)
class Unit:
    name: str  # full name
    kind: str
    aliases: tuple[str, ...] = ()


class Directory:
    """The region's units (from unit directories), to resolve short and abbreviated names."""

    def __init__(self, region: str | None = None, units: Iterable[Unit] = ()) -> None:
        self.region = region
        self.units: dict[str, Unit] = {}
        self._alias: dict[str, str] = {}
        for u in units:
            self.add(u.name, u.kind, u.aliases)

    def __len__(self) -> int:
        return len(self.units)

    def add(self, name: str, kind: str | None = None, aliases: Iterable[str] = ()) -> Unit:
        name = clean_name(name)
        old = self.units.get(name)
        merged = tuple(dict.fromkeys([*(old.aliases if old else ()), *(clean_name(a) for a in aliases if a)]))
        merged = tuple(a for a in merged if a and a != name)
        unit = Unit(name, kind or (old.kind if old else agency_kind(name, self.region)), merged)
        self.units[name] = unit
        for a in merged:
            self._alias.setdefault(a, name)
        return unit

    def full_name(self, title: str | None, text: str | None) -> str:
        """A directory entry's full name: its title attribute when it is a full name, else the name or alias
        of a unit already listed under that short name, else the text expanded."""
        for cand in (title, text):
            c = clean_name(cand or "")
            if c and self.region and c.startswith(self.region):
                return c
        c = clean_name(title or "") or clean_name(text or "")
        if c in self.units:
            return c
        if c in self._alias:  # another directory of the site listed it in full (金融局 → 红金区地方金融监督管理局)
            return self._alias[c]
        return expand_name(c, self.region)

    def fuller_name(self, unit: str, stated: Iterable[str]) -> str | None:
        """A fuller form of a unit's name among names a report of it states (its 发布机构, its title): the
        directory read only a short link text (「金融局」 → 红金区金融局) where the unit calls itself
        红金区地方金融监督管理局.  None when no stated name is that unit's fuller name."""
        local = self._local(unit)
        for raw in stated:
            full = expand_name(clean_name(raw), self.region)
            mine = self._local(full)
            if (len(mine) > len(local) and self.region and full.startswith(self.region) and looks_like_agency(full)
                    and is_abbreviation(local, mine)):
                return full
        return None

    def rename(self, old: str, new: str) -> Unit:
        """The unit `old` is called `new` in full (the same unit, when another directory listed it so); the old
        name stays one of its aliases."""
        unit = self.units.pop(old)
        renamed = self.add(new, unit.kind, [*unit.aliases, old])
        for alias, target in list(self._alias.items()):
            if target == old:
                self._alias[alias] = new
        return renamed

    def resolve(self, text: str) -> Unit | None:
        n = clean_name(text)
        if not n:
            return None
        if n in self.units:
            return self.units[n]
        if n in self._alias:
            return self.units[self._alias[n]]
        expanded = expand_name(n, self.region)
        if expanded in self.units:
            return self.units[expanded]
        local = n
        if self.region and self.region in n:
            local = n[n.index(self.region) + len(self.region) :]
        elif self.region and n[0] == self.region[-1] and len(n) > 2:
            local = n[1:]
        if local in self._alias:
            return self.units[self._alias[local]]
        if local in ("政府", "人民政府", ""):
            govs = [u for u in self.units.values() if u.kind == "government"]
            return govs[0] if len(govs) == 1 else None
        hits = [u for u in self.units.values() if is_abbreviation(local, self._local(u.name))]
        if len(hits) == 1:
            return hits[0]
        # The directory may know the unit only by a short link text that the stated name spells out
        # (区政府办 → 岗铺区人民政府办公室): the unit whose short name abbreviates this one.
        if not looks_like_agency(expanded):
            return None
        kind = agency_kind(expanded, self.region)
        fuller = [u for u in self.units.values() if u.kind == kind and is_abbreviation(self._local(u.name), local)]
        return fuller[0] if len(fuller) == 1 else None

    def _local(self, name: str) -> str:
        if self.region and name.startswith(self.region):
            return name[len(self.region) :]
        return name
