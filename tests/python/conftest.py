"""Shared fixtures of the Python tests: the repository's data and a scratch folder per test run."""

import pathlib

import pytest

import libcoverage as lc

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "data"
SANG_MOC = DATA / "sang_moc"


@pytest.fixture(scope="session")
def scratch(tmp_path_factory):
    """A folder for this run's outputs (ctest gives each test file its own --basetemp in the build tree)."""
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="session")
def sang_moc_dem():
    return lc.read_dem(str(SANG_MOC / "terrain_synthetic_30m.tif"))


@pytest.fixture(scope="session")
def sang_moc_sectors():
    return lc.read_sites(str(SANG_MOC / "sites.csv"))


@pytest.fixture(scope="session")
def sang_moc_hamlets():
    return lc.read_hamlets(str(SANG_MOC / "hamlets.geojson"))


@pytest.fixture(scope="session")
def sang_moc_study(scratch):
    """The shipped study, run once: (Study, StudyResult)."""
    study = lc.read_study(str(SANG_MOC / "study.toml"))
    result = lc.run_study(study, str(scratch / "sang_moc"), threads=2)
    return study, result
