"""A commune's output folder, written beside itself and swapped in whole (readers see the old folder or the new one)."""

from __future__ import annotations

import os
import shutil
import unicodedata
import uuid
from typing import List, Sequence

from . import _core as lc


def _folder_name(name: str) -> str:
    """A commune's folder name: its name in Unicode NFC (so NFC and NFD spellings agree), with every character other
    than a letter, a digit, '-' or '_' replaced by '_'."""
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in unicodedata.normalize("NFC", name))
    return keep or "commune"


def _commune_folders(names: Sequence[str], where: str = "province") -> List[str]:
    """The folder name of each commune, one folder per commune: two names that give the same folder (ignoring case,
    for case-insensitive file systems) are an InvalidArgument naming both."""
    seen = {}
    folders = []
    for i, name in enumerate(names, start=1):
        folder = _folder_name(name)
        if len(folder.encode("utf-8")) > 200:
            raise lc.InvalidArgument(f"{where}: commune {i}: name '{name[:60]}...' is too long for a folder name "
                                     "(at most 200 bytes in UTF-8)")
        key = folder.casefold()
        if key in seen:
            j, other = seen[key]
            raise lc.InvalidArgument(
                f"{where}: communes {j} ('{other}') and {i} ('{name}') would write the same folder '{folder}' "
                "(names are compared in Unicode NFC, ignoring case, with characters other than letters, digits, "
                "'-' and '_' read as '_'); rename one")
        seen[key] = (i, name)
        folders.append(folder)
    return folders


def _staging(out_dir: str) -> str:
    """Where a commune's files are written before they replace its folder: a hidden sibling of the folder."""
    parent, name = os.path.split(os.path.abspath(out_dir))
    return os.path.join(parent, f".{name}.partial")


def _swap_into_place(stage: str, out_dir: str) -> None:
    """Replace out_dir by the finished staging folder whole: readers see the old folder or the new one, never a
    mixture (the old one is renamed away first, then removed)."""
    old = None
    if os.path.exists(out_dir):
        parent, name = os.path.split(os.path.abspath(out_dir))
        old = os.path.join(parent, f".{name}.old-{uuid.uuid4().hex}")
        os.rename(out_dir, old)
    try:
        os.rename(stage, out_dir)
    except OSError:
        if old is not None:
            os.rename(old, out_dir)  # the earlier folder back, as the study's StagedFolder does
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
