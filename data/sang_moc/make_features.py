#!/usr/bin/python3
"""Writes the illustrative Sảng Mộc features: hamlets.geojson, fibre.geojson, candidates.csv, sites.csv, the
antenna pattern, and the planning layers streams.geojson and roads.geojson.

Hamlet NAMES are real (data/sang_moc/SOURCES.md); their POSITIONS are illustrative (no
public source gives them): points on the synthetic terrain's streams (generate_terrain.py STREAMS),
placed so that, with the existing towers in sites.csv, the commune centre and Bản Chương are served
and Khuổi Mèo, Nà Lay, Khuổi Chạo, Tân Lập, Nà Ca and Phú Cốc are not — the situation reported in 2021.
Households sum to 700 and population to 2,830 (the report: ~700 households, ~2,800 people); the split
between hamlets is illustrative. The fibre follows the north-east valley from the commune centre to the
Tiên Sơn school point (8.07 km) past Phú Cốc, Nà Ca and Khuổi Mèo. Candidate sites are derived from the
terrain: the highest cell within 1.5 km of each hamlet other than the centre and Bản Chương.
streams.geojson holds the streams the synthetic terrain was carved along (generate_terrain.py STREAMS: derived);
roads.geojson an illustrative commune road: the main valley 90 m north of its stream, from Bản Chương through
the commune centre to the east edge, towards Nghinh Tường (the real Vũ Chấn - Nghinh Tường - Sảng Mộc road, 24 km,
enters from there; its course is not known here).

Usage: make_features.py   (reads terrain_synthetic_30m.tif in this folder, writes the three files here)
"""
import json
import os

import numpy as np
from osgeo import gdal, osr

from generate_terrain import STREAMS

HERE = os.path.dirname(os.path.abspath(__file__))

# name, UTM 48N x, y (on the streams of generate_terrain.py), households, population, settlement radius m, note
HAMLETS = [
    ("Trung tâm xã (commune centre)", 605200, 2424100, 120, 470, 450, "People's Committee and schools; centre tower"),
    ("Bản Chương", 600500, 2423900, 90, 365, 400, "has its own tower"),
    ("Phú Cốc", 605300, 2426400, 55, 220, 300, "on the fibre route"),
    ("Nà Ca", 606900, 2427500, 60, 240, 300, "on the fibre route"),
    ("Khuổi Mèo", 608300, 2428800, 50, 215, 300, "on the fibre route"),
    ("Bản Chấu", 610200, 2424300, 75, 300, 350, ""),
    ("Nà Lay", 602600, 2420200, 45, 190, 300, ""),
    ("Khuổi Chạo", 611400, 2418900, 55, 235, 300, ""),
    ("Tân Lập", 600600, 2429000, 60, 250, 300, ""),
    ("Khuổi Uốn", 612600, 2427500, 45, 170, 250, ""),
    ("Nghinh Tác", 603400, 2421800, 45, 175, 250, ""),
]
# Existing towers (positions illustrative: at the commune centre and at Bản Chương). Per 3GPP TR 36.814
# v9.0.0 table A.2.1.1-2 (macro case): 3 sectors, total power 46 dBm per 10 MHz LTE carrier, antenna gain
# 14 dBi after cable loss, the sector pattern written to antenna_3gpp_tr36814.msi. UMTS 2100: 43 dBm
# (20 W, the usual macro NodeB configuration; TS 25.104 sets no upper limit for wide-area base stations).
TOWERS = [
    # site_id, name, UTM x, y, height_agl_m, [(technology, freq_mhz, bandwidth_mhz, tx_power_dbm)]
    ("SM-CENTRE", "Trung tâm xã Sảng Mộc", 605200, 2424100, 35, [("umts", 2100, 5, 43), ("lte", 1800, 10, 46)]),
    ("BAN-CHUONG", "Bản Chương", 600500, 2423900, 30, [("lte", 1800, 10, 46)]),
]
SECTOR_AZIMUTHS_DEG = (0, 120, 240)
TILT_DEG = 3  # illustrative: a light downtilt for rural coverage

FIBRE = [(605200, 2424100), (605900, 2425300), (605300, 2426400), (606200, 2427300), (607600, 2427700),
         (608300, 2428800), (609600, 2429300)]


def main():
    ds = gdal.Open(os.path.join(HERE, "terrain_synthetic_30m.tif"))
    z = ds.ReadAsArray().astype(float)
    gt = ds.GetGeoTransform()
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32648)
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    for s in (utm, wgs84):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(utm, wgs84)

    def lat_lon(x, y):
        lon, lat, _ = ct.TransformPoint(float(x), float(y))
        return round(lat, 6), round(lon, 6)

    feats = []
    for i, (name, x, y, hh, pop, radius, note) in enumerate(HAMLETS):
        lat, lon = lat_lon(x, y)
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"hamlet_id": f"H{i:02d}", "name": name, "households": hh, "population": pop,
                                     "settlement_radius_m": radius, "position_status": "illustrative", "note": note}})
    with open(os.path.join(HERE, "hamlets.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": "hamlets", "features": feats}, f, ensure_ascii=False, indent=1)
        f.write("\n")

    length = sum(float(np.hypot(b[0] - a[0], b[1] - a[1])) for a, b in zip(FIBRE[:-1], FIBRE[1:]))
    coords = [[lat_lon(x, y)[1], lat_lon(x, y)[0]] for x, y in FIBRE]
    fibre = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
             "properties": {"route_id": "F1", "name": "UBND Sảng Mộc - điểm trường Tiên Sơn", "length_m": round(length),
                            "status": "existing", "position_status": "illustrative",
                            "note": "follows the north-east valley past Phú Cốc, Nà Ca and Khuổi Mèo"}}
    with open(os.path.join(HERE, "fibre.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": "fibre", "features": [fibre]}, f, ensure_ascii=False, indent=1)
        f.write("\n")

    # The TR 36.814 sector pattern: A_H(φ) = min(12 (φ/70°)², 25 dB), A_V(θ) = min(12 (θ/10°)², 20 dB).
    lines = ["NAME 3GPP TR 36.814 macro sector (70 deg / 10 deg)", "FREQUENCY 1800", "GAIN 14 dBi",
             "COMMENT computed by data/sang_moc/make_features.py from 3GPP TR 36.814 v9.0.0 table A.2.1.1-2",
             "HORIZONTAL 360"]
    for a in range(360):
        phi = min(a, 360 - a)
        lines.append(f"{a} {min(12.0 * (phi / 70.0) ** 2, 25.0):.3f}")
    lines.append("VERTICAL 360")
    for a in range(360):
        theta = min(a, 360 - a)
        lines.append(f"{a} {min(12.0 * (theta / 10.0) ** 2, 20.0):.3f}")
    with open(os.path.join(HERE, "antenna_3gpp_tr36814.msi"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    site_rows = ["site_id,sector_id,name,lat_deg,lon_deg,height_agl_m,technology,freq_mhz,bandwidth_mhz,tx_power_dbm,"
                 "antenna_gain_dbi,cable_loss_db,azimuth_deg,tilt_deg,pattern,operator"]
    for site_id, name, x, y, height, carriers in TOWERS:
        lat, lon = lat_lon(x, y)
        for tech, freq, bw, power in carriers:
            for az in SECTOR_AZIMUTHS_DEG:
                site_rows.append(f"{site_id},{site_id}/{tech.upper()}{freq}/{az},{name},{lat},{lon},{height},{tech},{freq},"
                                 f"{bw},{power},14,0,{az},{TILT_DEG},antenna_3gpp_tr36814.msi,illustrative")
    with open(os.path.join(HERE, "sites.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(site_rows) + "\n")

    rows = ["candidate_id,name,lat_deg,lon_deg,ground_elev_m,mast_height_m,near_hamlet,distance_to_hamlet_m,position_status"]
    search = 50  # cells: 1.5 km at 30 m
    for i, (name, x, y, *_rest) in enumerate(HAMLETS[2:]):
        c = int((x - gt[0]) / gt[1])
        r = int((gt[3] - y) / -gt[5])
        r0, r1, c0, c1 = max(0, r - search), min(z.shape[0], r + search + 1), max(0, c - search), min(z.shape[1], c + search + 1)
        yy, xx = np.mgrid[r0:r1, c0:c1]
        window = np.where(np.hypot(yy - r, xx - c) <= search, z[r0:r1, c0:c1], -1.0)
        k = np.unravel_index(np.argmax(window), window.shape)
        pr, pc = r0 + k[0], c0 + k[1]
        px, py = gt[0] + (pc + 0.5) * gt[1], gt[3] + (pr + 0.5) * gt[5]
        lat, lon = lat_lon(px, py)
        rows.append(f"C{i + 1:02d},Hilltop near {name},{lat},{lon},{int(z[pr, pc])},30,{name},"
                    f"{np.hypot(px - x, py - y):.0f},derived (highest cell of the synthetic terrain within 1.5 km)")
    with open(os.path.join(HERE, "candidates.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    def line_feature(points, props):
        return {"type": "Feature", "properties": props,
                "geometry": {"type": "LineString", "coordinates": [[lat_lon(x, y)[1], lat_lon(x, y)[0]] for x, y in points]}}

    streams = [line_feature(line, {"stream_id": f"S{i + 1}", "position_status": "derived (the synthetic terrain's streams)"})
               for i, line in enumerate(STREAMS)]
    with open(os.path.join(HERE, "streams.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": "streams", "features": streams}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    road = line_feature([(x, y + 90) for x, y in STREAMS[0][1:]],
                        {"road_id": "R1", "name": "commune road (towards Nghinh Tường)", "position_status": "illustrative"})
    with open(os.path.join(HERE, "roads.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": "roads", "features": [road]}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(feats)} hamlets ({sum(h[3] for h in HAMLETS)} households, {sum(h[4] for h in HAMLETS)} people), "
          f"fibre {length:.0f} m, {len(rows) - 1} candidates")


if __name__ == "__main__":
    main()
