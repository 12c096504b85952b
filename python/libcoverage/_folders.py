"""A commune's output folder, written beside itself and swapped in whole (readers see the old folder or the new one)."""

from __future__ import annotations

import os
import shutil
import uuid


def _folder_name(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    return keep or "commune"


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
