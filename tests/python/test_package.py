"""The package as a Python library: stubs current, docstrings, snake_case names, errors, install."""

import inspect
import os
import pathlib
import re
import subprocess
import sys

import libcoverage as lc
from conftest import REPO

core = lc._core


def test_stubs_are_current(tmp_path):
    fresh = tmp_path / "_core.pyi"
    subprocess.run([sys.executable, str(REPO / "python" / "make_stubs.py"), str(fresh)], check=True,
                   env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
    committed = (REPO / "python" / "libcoverage" / "_core.pyi").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == committed, "python/libcoverage/_core.pyi is stale: run python/make_stubs.py"
    for name in (n for n in dir(core) if not n.startswith("_")):
        assert re.search(rf"^(class|def) {name}\b|^{name}: ", committed, re.M), name


def _public(cls):
    return [(n, v) for n, v in cls.__dict__.items() if not n.startswith("_")]


def _own_doc(obj):
    doc = obj.__doc__ or ""
    lines = doc.split("\n")
    if lines and re.match(r"^\w*\(", lines[0]):  # a pybind11 signature line, then the text
        doc = "\n".join(lines[1:])
    return doc.replace("Overloaded function.", "").strip()


def test_every_public_name_is_documented_and_snake_case():
    missing, badly_named = [], []
    for name, obj in _public(core):
        if inspect.isclass(obj):
            if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
                badly_named.append(name)
            if not (obj.__doc__ or "").strip():
                missing.append(name)
            for member, value in _public(obj):
                if inspect.isclass(value) or hasattr(obj, "__members__"):
                    continue  # nested enums and classes, enum members
                if not re.fullmatch(r"[a-z][a-z0-9_]*", member):
                    badly_named.append(f"{name}.{member}")
                if callable(value) and not isinstance(value, property) and not _own_doc(value):
                    missing.append(f"{name}.{member}")
        elif callable(obj):
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                badly_named.append(name)
            if not _own_doc(obj):
                missing.append(name)
    assert not badly_named, badly_named
    assert not missing, f"no docstring: {missing}"


def test_errors_are_coverage_errors_with_the_library_message():
    for name in ["InvalidArgument", "IoError", "OutOfDomain", "ItmError", "Cancelled"]:
        assert issubclass(getattr(lc, name), lc.CoverageError)
    assert issubclass(lc.IoError, OSError) and issubclass(lc.InvalidArgument, ValueError)
    try:
        lc.read_sites(str(REPO / "tests" / "python" / "no_sites_here.csv"))
    except lc.IoError as e:
        assert "no_sites_here.csv" in str(e)
    else:
        raise AssertionError("reading a missing sites file did not fail")


def test_install_into_a_prefix(tmp_path):
    build_dir = pathlib.Path(lc.__file__).resolve().parents[2]  # <build>/python/libcoverage/__init__.py
    assert (build_dir / "CMakeCache.txt").is_file(), build_dir
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", str(build_dir), "--prefix", str(prefix), "--component", "python"], check=True,
                   stdout=subprocess.DEVNULL)
    site = prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "dist-packages"
    assert (site / "libcoverage" / "_core.pyi").is_file() and (site / "libcoverage" / "py.typed").is_file()
    script = ("import libcoverage as lc; print(lc.__file__); "
              "print(lc.free_space_loss_db(10000.0, 1000.0)); print(lc.tables.__name__); "
              "import importlib.metadata as md; d = md.distribution('libcoverage'); print(d.version); "
              "print(','.join(sorted(r.split(';')[0].strip() for r in d.requires))); print(md.packages_distributions()['libcoverage'][0]); "
              "print(sum(1 for f in d.files if f.name == '__init__.py'))")
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(site)), check=True,
                         capture_output=True, text=True).stdout.split()
    assert out[0].startswith(str(site))
    assert abs(float(out[1]) - 112.45) < 1e-9 and out[2] == "libcoverage.tables"
    # Python's packaging tools see an installed distribution with its version and dependencies (dist-info).
    assert out[3] == lc.__version__
    assert out[4] == "dask,distributed,geopandas,matplotlib,numpy,pandas,shapely,tqdm"
    assert out[5] == "libcoverage" and out[6] == "1"
