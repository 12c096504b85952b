#!/usr/bin/env bash
# covtool fetch-dem against a local HTTP server on 127.0.0.1 serving tiles this script makes
# (there is no outside network in CI). usage: fetch_dem_test.sh COVTOOL WORKDIR
set -u
covtool=$1
work=$2
rm -rf "$work"; mkdir -p "$work/www" "$work/cache"
fail() { echo "FAIL: $*"; exit 1; }

# Copernicus-style tiles for N21E105 (flat 250 m) and N21E106 (flat 260 m) on the product's grid below 50°:
# 3600 x 3600 cells of 1", the first centred on the tile's north-west corner.
for lon in 105 106; do
  name=Copernicus_DSM_COG_10_N21_00_E${lon}_00_DEM
  mkdir -p "$work/www/$name"
  z=$([ $lon = 105 ] && echo 250 || echo 260)
  gdal_create -q -of GTiff -ot Int16 -outsize 3600 3600 -a_srs EPSG:4326 -co COMPRESS=DEFLATE \
    -a_ullr $(/usr/bin/python3 -c "h=0.5/3600; print($lon-h, 22+h, $lon+1-h, 21+h)") -burn "$z" \
    "$work/www/$name/$name.tif" || fail "gdal_create"
done
# An SRTM-style tile N21E106.hgt.gz (flat 300 m) for the srtmgl1 source.
mkdir -p "$work/www/skadi/N21"
gdal_create -q -of GTiff -ot Int16 -outsize 3601 3601 -a_srs EPSG:4326 \
  -a_ullr 105.99986111 22.00013889 107.00013889 20.99986111 -burn 300 "$work/srtm.tif" || fail "gdal_create srtm"
gdal_translate -q -of SRTMHGT "$work/srtm.tif" "$work/www/skadi/N21/N21E106.hgt" || fail "gdal_translate SRTMHGT"
gzip -f "$work/www/skadi/N21/N21E106.hgt"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  /usr/bin/python3 -c 'import urllib.request,sys; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$port/" 2>/dev/null && break
  sleep 0.1
done
base="http://127.0.0.1:$port"

# 1. The Sảng Mộc box spans two Copernicus tiles: both fetched, mosaicked, cropped.
out=$("$covtool" fetch-dem --bbox 21.86,105.95,21.97,106.10 --source copernicus-glo30 --base-url "$base" \
      --cache-dir "$work/cache" -o "$work/sang_moc.tif" 2>&1) || fail "fetch failed: $out"
grep -q "2 tiles" <<<"$out" || fail "expected 2 tiles: $out"
[ -f "$work/cache/Copernicus_DSM_COG_10_N21_00_E105_00_DEM.tif" ] || fail "tile not cached"
grep -q "^sha256 [0-9a-f]\{64\}$" "$work/cache/Copernicus_DSM_COG_10_N21_00_E105_00_DEM.tif.sha256" || fail "no checksum sidecar"
grep -q "E105_00_DEM  downloaded" <<<"$out" || fail "first fetch not reported as downloaded: $out"
info=$(gdalinfo -stats "$work/sang_moc.tif") || fail "gdalinfo"
grep -q "STATISTICS_MINIMUM=250" <<<"$info" || fail "west tile's 250 m missing: $info"
grep -q "STATISTICS_MAXIMUM=260" <<<"$info" || fail "east tile's 260 m missing"
grep -q 'ID\["EPSG",4326\]' <<<"$info" || fail "not WGS84"
# 0.15° x 0.11° at 1/3600° per cell (as the tiles), outwards to whole cells: the Copernicus cells are centred on
# whole arc-seconds, so the box's edges fall mid-cell and one more cell each way holds them: 541 x 397 cells
grep -q "Size is 541, 397" <<<"$info" || fail "unexpected size: $(grep 'Size is' <<<"$info")"

# 2. A box that needs a tile the server does not have: error naming the tile, no output file.
rm -f "$work/missing.tif"
out=$("$covtool" fetch-dem --bbox 21.90,106.50,22.10,106.60 --base-url "$base" --cache-dir "$work/cache" \
      -o "$work/missing.tif" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "missing tile: expected exit 1, got $rc: $out"
grep -q "DEM tile Copernicus_DSM_COG_10_N22_00_E106_00_DEM" <<<"$out" || fail "missing tile not named: $out"
[ ! -e "$work/missing.tif" ] || fail "partial output left behind"

# 3. SRTMGL1 .hgt.gz: downloaded, decompressed into the cache, read.
out=$("$covtool" fetch-dem --bbox 21.86,106.00,21.97,106.10 --source srtmgl1 --base-url "$base/skadi" \
      --cache-dir "$work/cache" -o "$work/srtm_out.tif" 2>&1) || fail "srtmgl1 fetch failed: $out"
[ -f "$work/cache/N21E106.hgt" ] || fail "hgt not cached"
gdalinfo -stats "$work/srtm_out.tif" | grep -q "STATISTICS_MAXIMUM=300" || fail "srtm values"

# 4. With the server gone, cached tiles still serve; a new tile is a clear download error.
kill $server; wait $server 2>/dev/null
out=$("$covtool" fetch-dem --bbox 21.86,105.95,21.97,106.10 --base-url "$base" --cache-dir "$work/cache" \
      -o "$work/again.tif" 2>&1) || fail "cached fetch failed: $out"
grep -q "E105_00_DEM  cached" <<<"$out" || fail "second fetch not served from the cache: $out"
out=$("$covtool" fetch-dem --bbox 20.50,106.20,20.60,106.30 --base-url "$base" --cache-dir "$work/cache" \
      -o "$work/offline.tif" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "offline: expected exit 1, got $rc"
grep -q "DEM tile Copernicus_DSM_COG_10_N20_00_E106_00_DEM" <<<"$out" || fail "offline tile not named: $out"

# 5. Bad box.
out=$("$covtool" fetch-dem --bbox 22,106,21,107 -o "$work/bad.tif" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "south < north" <<<"$out" || fail "bad bbox: $out"
echo "fetch-dem: all checks passed"
