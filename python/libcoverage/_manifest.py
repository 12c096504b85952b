"""A province manifest: its communes, each a study file, and how their grids are cut into tiles (TOML)."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from typing import Tuple

from . import _core as lc
from ._folders import _commune_folders

__all__ = ["Commune", "Manifest", "read_manifest"]


@dataclasses.dataclass(frozen=True)
class Commune:
    """One commune of a province: its name and its study file (absolute path)."""

    name: str
    study_file: str


@dataclasses.dataclass(frozen=True)
class Manifest:
    """A province: its communes and how their grids are cut into tiles."""

    name: str
    communes: Tuple[Commune, ...]
    tile_km: float = 5.0
    manifest_file: str = ""


_MANIFEST_KEYS = {"province": {"name", "tile_km"}, "commune": {"name", "study"}}


def read_manifest(path: str) -> Manifest:
    """Read a province manifest (TOML)::

        [province]
        name = "Thái Nguyên"
        tile_km = 5            # output tiles, km (default 5)

        [[commune]]
        name = "Sảng Mộc"
        study = "sang_moc/study.toml"   # relative to the manifest

    Unknown keys, missing keys, duplicate names, names that would share a folder and missing study files are ``InvalidArgument`` errors naming the
    file and the key; a study file itself is only read when its commune runs, so a bad one fails that commune alone.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise lc.IoError(f"province manifest '{path}' does not exist") from None
    except tomllib.TOMLDecodeError as e:
        raise lc.InvalidArgument(f"{path}: not valid TOML: {e}") from None
    for key in data:
        if key not in _MANIFEST_KEYS:
            raise lc.InvalidArgument(f"{path}: unknown table '{key}' (expected [province] and [[commune]])")
    province = data.get("province", {})
    if not isinstance(province, dict):
        raise lc.InvalidArgument(f"{path}: 'province' must be a table")
    for key in province:
        if key not in _MANIFEST_KEYS["province"]:
            raise lc.InvalidArgument(f"{path}: unknown key 'province.{key}' (expected name, tile_km)")
    name = province.get("name", os.path.splitext(os.path.basename(path))[0])
    tile_km = province.get("tile_km", 5.0)
    if not isinstance(tile_km, (int, float)) or isinstance(tile_km, bool) or not 0.5 <= tile_km <= 100.0:
        raise lc.InvalidArgument(f"{path}: province.tile_km = {tile_km!r}: expected a number of km from 0.5 to 100")
    rows = data.get("commune", [])
    if not isinstance(rows, list) or not rows:
        raise lc.InvalidArgument(f"{path}: no [[commune]] entries")
    base = os.path.dirname(os.path.abspath(path))
    communes, seen = [], set()
    for i, row in enumerate(rows, start=1):
        where = f"{path}: commune {i}"
        for key in row:
            if key not in _MANIFEST_KEYS["commune"]:
                raise lc.InvalidArgument(f"{where}: unknown key 'commune.{key}' (expected name, study)")
        for key in ("name", "study"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise lc.InvalidArgument(f"{where}: 'commune.{key}' is missing or not a text")
        if row["name"] in seen:
            raise lc.InvalidArgument(f"{where}: commune name '{row['name']}' appears twice")
        seen.add(row["name"])
        study = os.path.normpath(os.path.join(base, row["study"]))
        if not os.path.isfile(study):
            raise lc.InvalidArgument(f"{where} ('{row['name']}'): commune.study: file '{study}' does not exist")
        communes.append(Commune(row["name"], study))
    _commune_folders([c.name for c in communes], path)  # one folder per commune
    return Manifest(name=name, communes=tuple(communes), tile_km=float(tile_km), manifest_file=os.path.abspath(path))
