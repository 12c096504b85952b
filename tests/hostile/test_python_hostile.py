"""Hostile inputs through the Python package (issue 15): each test reproduces a defect an adversarial run found.
Needs the build tree's libcoverage on PYTHONPATH."""
import unicodedata

import numpy as np
import pytest

import libcoverage as lc
import libcoverage.distributed as dist


def _manifest(tmp_path, names):
    (tmp_path / "study.toml").write_text("", encoding="utf-8")
    rows = "".join(f'[[commune]]\nname = "{n}"\nstudy = "study.toml"\n' for n in names)
    path = tmp_path / "province.toml"
    path.write_text(rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("a,b", [
    ("Sảng Mộc", "Sảng_Mộc"),                                   # space and underscore
    ("Sảng Mộc", unicodedata.normalize("NFD", "Sảng Mộc")),      # NFC and NFD spellings of one name
    ("Sảng Mộc", "SẢNG MỘC"),                                    # case (case-insensitive file systems)
    ("Bản/Chương", "Bản?Chương"),                                 # punctuation
], ids=["underscore", "nfd", "case", "punctuation"])
def test_commune_names_sharing_a_folder_are_refused(tmp_path, a, b):
    # Before: both communes wrote one folder and the summary reported numbers with no files behind them.
    path = _manifest(tmp_path, [a, "Phú Thượng", b])
    with pytest.raises(lc.InvalidArgument, match=r"communes 1 \(.*\) and 3 \(.*\) would write the same folder") as e:
        dist.read_manifest(str(path))
    assert str(path) in str(e.value)
    # A manifest built in code is checked by run_province too, before any cluster is started.
    manifest = dist.Manifest("P", (dist.Commune(a, str(tmp_path / "study.toml")),
                                   dist.Commune(b, str(tmp_path / "study.toml"))))
    with pytest.raises(lc.InvalidArgument, match="would write the same folder"):
        dist.run_province(manifest, str(tmp_path / "out"), client=object())
    assert not (tmp_path / "out").exists()


def test_distinct_commune_names_keep_distinct_folders(tmp_path):
    path = _manifest(tmp_path, ["Sảng Mộc", "Sang Moc", "Bản Chương"])
    manifest = dist.read_manifest(str(path))
    assert [c.name for c in manifest.communes] == ["Sảng Mộc", "Sang Moc", "Bản Chương"]
