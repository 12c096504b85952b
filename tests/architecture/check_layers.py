#!/usr/bin/env python3
"""The architecture, enforced: every #include in the library, its tests and its front ends must point down the
layer order of docs/ARCHITECTURE.md (or stay in its own layer), and third-party headers may only be used by the
layer that owns them. Prints each offending include as FILE:LINE: why, and exits 1 when there is any.

Usage: check_layers.py [REPO_ROOT]
"""
import pathlib
import re
import sys

# Bottom to top. A layer may include its own headers and those of any layer below it.
LAYERS = ["core", "io", "terrain", "propagation", "radio", "coverage", "analysis", "planning", "report", "study"]
RANK = {name: i for i, name in enumerate(LAYERS)}

# Third-party and system headers, by the lowest layer allowed to use them (and every layer above).
# The C and C++ standard libraries (<vector>, <cmath>, ...) are free for all.
EXTERNAL = [
    (re.compile(r"^(gdal|gdal_[a-z_]+|ogr_[a-z_]+|ogrsf_frmts|cpl_[a-z_]+|proj)\.h$"), {"io"}),  # GDAL/OGR/PROJ: io only
    (re.compile(r"^tbb/"), set(LAYERS[RANK["coverage"]:])),
    (re.compile(r"^(curl/|zlib\.h$)"), {"io"}),  # downloads (libcurl) and gzip (zlib): io only
    (re.compile(r"^png\.h$"), {"io"}),  # PNG encoding (libpng): io only
    (re.compile(r"^openssl/"), {"io"}),  # SHA-256 of files: run.json checksums, the DEM cache sidecars
    (re.compile(r"^(toml\+\+/|nlohmann/)"), {"study"}),
    (re.compile(r"^(cairo(-pdf|-svg)?\.h$|pango/|fontconfig/)"), {"report"}),  # drawing maps and charts (PNG, PDF, SVG): report only
    (re.compile(r"^Eigen/"), set(LAYERS[RANK["analysis"]:])),  # least squares (the calibration's fit), from analysis up
    (re.compile(r"^kainjow/"), {"study"}),  # the report's mustache template, filled where the study's results are gathered
    (re.compile(r"^(sys/|unistd\.h$|fcntl\.h$|signal\.h$)"), {"core", "io", "study"}),
]
STANDARD = re.compile(r"^[a-z_]+(\.h)?$")  # <vector>, <cstdio>, <math.h>: the standard libraries
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of_path(rel):
    """The layer a file of the library or its tests belongs to, from its folder; None outside them."""
    parts = rel.parts
    for prefix in (("libcoverage", "include", "coverage"), ("libcoverage", "src"), ("tests", "cpp")):
        n = len(prefix)
        if parts[:n] == prefix and len(parts) > n + 1 and parts[n] in RANK:
            return parts[n]
    return None


def check_file(root, path, problems):
    rel = path.relative_to(root)
    in_library = rel.parts[:1] == ("libcoverage",)
    is_public = rel.parts[:3] == ("libcoverage", "include", "coverage")
    is_test = rel.parts[:2] == ("tests", "cpp")
    layer = layer_of_path(rel)
    if in_library and layer is None and rel.name != "coverage.hpp":
        problems.append(f"{rel}: a library file outside the layer folders ({', '.join(LAYERS)})")
        return
    if is_test and layer is None and rel.parts[2] not in ("support",) and rel.name != "main.cpp":
        problems.append(f"{rel}: a C++ test outside the layer folders tests/cpp/<layer>/")
        return
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = INCLUDE.match(line)
        if not m:
            continue
        quote, target = m.groups()
        where = f"{rel}:{lineno}"
        if quote == "<" and target.startswith("coverage/"):
            tparts = target.split("/")
            if target == "coverage/coverage.hpp":
                if in_library or is_test:
                    problems.append(f"{where}: the umbrella header <coverage/coverage.hpp> is for users; include what you use")
                continue
            if len(tparts) < 3 or tparts[1] not in RANK:
                problems.append(f"{where}: <{target}> is not in a layer folder")
                continue
            tlayer = tparts[1]
            # Tests live in the folder of the layer they test but may use any public header to make inputs and
            # inspect outputs, as a user would; the order binds the library itself.
            if layer is not None and not is_test and RANK[tlayer] > RANK[layer]:
                problems.append(f"{where}: {layer} includes <{target}> from the {tlayer} layer above it")
            continue
        if quote == '"':
            tparts = target.split("/")
            if in_library:
                if is_public:
                    problems.append(f'{where}: a public header includes the private "{target}"')
                    continue
                if len(tparts) < 2 or tparts[0] not in RANK:
                    problems.append(f'{where}: private include "{target}" must be written from src/, as "<layer>/<file>"')
                    continue
                if RANK[tparts[0]] > RANK[layer]:
                    problems.append(f'{where}: {layer} includes the private "{target}" from the {tparts[0]} layer above it')
                continue
            if rel.parts[:1] in (("tools",), ("python",)) or is_test:
                # front ends: their own files only, never the library's private headers; a test may open the private
                # headers of the layer it tests (the ITM routines are tested one by one)
                own_layer = is_test and layer is not None and tparts[0] == layer
                if (root / "libcoverage" / "src" / target).exists() and not (path.parent / target).exists() and not own_layer:
                    problems.append(f'{where}: includes the library\'s private "{target}"; use the public headers')
            continue
        # angle-bracket, not ours: standard or third party
        if STANDARD.match(target) and not any(rx.match(target) for rx, _ in EXTERNAL):
            continue
        for rx, allowed in EXTERNAL:
            if rx.match(target):
                if layer is not None and layer not in allowed and in_library:
                    problems.append(f"{where}: <{target}> may only be used in the {', '.join(sorted(allowed, key=RANK.get))} layer(s)")
                break


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]).resolve()
    problems = []
    files = []
    for base in ("libcoverage/include", "libcoverage/src", "tests/cpp", "tests/bench", "tools", "python/src"):
        for ext in ("*.hpp", "*.cpp", "*.hpp.in"):
            files.extend((root / base).rglob(ext))
    if not files:
        print(f"check_layers: no sources under {root}", file=sys.stderr)
        return 2
    for path in sorted(set(files)):
        check_file(root, path, problems)
    for p in problems:
        print(p)
    print(f"check_layers: {len(set(files))} files, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
