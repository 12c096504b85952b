"""Propagation models and link budgets through Python, against the reference values in data/reference and the
published formulas."""

import csv
import math

import pytest

import libcoverage as lc
from conftest import DATA

ITM = DATA / "reference" / "itm"
BULLINGTON = DATA / "reference" / "delta_bullington"


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _pfl_profiles():
    with open(ITM / "p2p_profiles_pfl.csv") as f:
        lines = [[float(v) for v in line.split(",")] for line in f if line.strip()]
    return [lc.TerrainProfile(p[2:], step_m=p[1]) for p in lines]


def test_itm_point_to_point_matches_ntia_reference_cases():
    profiles = _pfl_profiles()
    reproduced = {r["case_id"]: r for r in _rows(ITM / "p2p_cases_reproduced_v1p4.csv")}
    cases = _rows(ITM / "p2p_cases.csv")
    assert len(cases) == 5
    for c in cases:
        params = lc.ItmParams(climate=lc.RadioClimate(int(c["climate"])), n0_n_units=float(c["N_0"]), epsilon=float(c["epsilon"]),
                              sigma_s_per_m=float(c["sigma"]), mdvar=int(c["mdvar"]), time_pct=float(c["time"]),
                              location_pct=float(c["location"]), situation_pct=float(c["situation"]))
        link = lc.LinkParams(freq_mhz=float(c["f__mhz"]), tx_height_agl_m=float(c["h_tx__meter"]),
                             rx_height_agl_m=float(c["h_rx__meter"]),
                             polarization=lc.Polarization.vertical if c["pol"] == "1" else lc.Polarization.horizontal)
        result = lc.ItmModel(params).path_loss(profiles[int(c["profile_row"]) - 1], link)
        ref = reproduced[c["case_id"]]
        # README: 1e-6 dB against NTIA v1.4 reproduced to full precision, 0.05 dB against the published rounding.
        assert result.loss_db == pytest.approx(float(ref["A__db"]), abs=1e-6)
        assert result.loss_db == pytest.approx(float(c["A__db"]), abs=0.05)
        assert result.warnings == int(ref["warnings"])
        assert result.itm.delta_h_m == pytest.approx(float(ref["delta_h__meter"]), abs=1e-6)
        assert int(result.mode.value) == int(ref["prop_mode"])


def test_itm_rejects_a_frequency_outside_its_range_with_ntia_code():
    profile = _pfl_profiles()[1]
    link = lc.LinkParams(freq_mhz=10.0, tx_height_agl_m=10.0, rx_height_agl_m=2.0)
    with pytest.raises(lc.ItmError, match="freq") as info:
        lc.ItmModel().path_loss(profile, link)
    assert 1000 <= info.value.code <= 1022
    assert isinstance(info.value, lc.OutOfDomain) and isinstance(info.value, ValueError)


def test_delta_bullington_matches_itu_examples():
    for c in _rows(BULLINGTON / "cases.csv"):
        pts = _rows(BULLINGTON / c["path_file"])
        profile = lc.DistanceProfile(distance_km=[float(p["Distance (km)"]) for p in pts],
                                     elevation_m=[float(p["DEM Height (m AMSL)"]) for p in pts])
        r = lc.delta_bullington(profile, float(c["htg_m_agl"]), float(c["hrg_m_agl"]), float(c["f_MHz"]))
        assert r.l_d_db == pytest.approx(float(c["Ld_delta_bullington_dB"]), abs=0.1)  # README tolerance


def test_free_space_is_the_p525_formula():
    assert lc.free_space_loss_db(10_000.0, 1000.0) == pytest.approx(32.45 + 60.0 + 20.0, abs=1e-9)
    flat = lc.TerrainProfile([100.0] * 101, step_m=100.0)
    link = lc.LinkParams(freq_mhz=900.0, tx_height_agl_m=30.0, rx_height_agl_m=30.0)
    assert lc.FreeSpaceModel().path_loss(flat, link).loss_db == pytest.approx(32.45 + 20 * math.log10(900) + 20 * math.log10(10), abs=1e-9)


def test_hata_urban_is_hatas_formula():
    f, hb, hm, d = 900.0, 30.0, 1.5, 5.0
    a_hm = (1.1 * math.log10(f) - 0.7) * hm - (1.56 * math.log10(f) - 0.8)
    expected = 69.55 + 26.16 * math.log10(f) - 13.82 * math.log10(hb) - a_hm + (44.9 - 6.55 * math.log10(hb)) * math.log10(d)
    assert lc.HataModel().loss(d * 1000, f, hb, hm).loss_db == pytest.approx(expected, abs=1e-9)
    with pytest.raises(lc.OutOfDomain, match="1-20 km|distance"):
        lc.HataModel().loss(300.0, f, hb, hm)


def test_make_model_by_name():
    assert set(lc.model_names()) >= {"itm", "hata", "cost231", "free-space", "bullington"}
    assert lc.make_model(lc.ModelSpec(model="itm")).name == "itm"
    assert lc.make_model(lc.ModelSpec(model="cost231", environment="suburban")).name.startswith("cost231")
    with pytest.raises(lc.InvalidArgument, match="splat"):
        lc.make_model(lc.ModelSpec(model="splat"))


def test_link_budget_rsrp_and_classes():
    b = lc.LinkBudget(tx_power_dbm=46.0, tx_gain_dbi=17.0, cable_loss_db=2.0, path_loss_db=130.0)
    assert b.eirp_dbm == pytest.approx(61.0) and b.rx_power_dbm == pytest.approx(-69.0)
    # 10 MHz: 50 resource blocks, 600 subcarriers
    assert lc.lte_resource_blocks(10.0) == 50
    assert lc.rsrp_dbm(-69.0, 10.0) == pytest.approx(-69.0 - 10 * math.log10(600))
    assert lc.rscp_dbm(-69.0) == pytest.approx(-79.0)
    t = lc.SignalThresholds.lte_default()
    assert t.classify(-95.0) == lc.SignalClass.fair
    assert t.classify(-125.0) == lc.SignalClass.no_service
    with pytest.raises(lc.InvalidArgument):
        lc.SignalThresholds([-90.0, -80.0])


def test_link_geometry_over_a_ridge():
    # 10 km flat at 100 m with a 200 m ridge in the middle: no line of sight between 30 m masts.
    z = [100.0] * 101
    z[50] = 300.0
    g = lc.analyse_link_geometry(lc.TerrainProfile(z, step_m=100.0),
                                 lc.LinkGeometryParams(freq_mhz=1800.0, tx_height_agl_m=30.0, rx_height_agl_m=30.0))
    assert not g.line_of_sight
    assert g.worst_distance_m == pytest.approx(5000.0)
    bulge = 5000.0 * 5000.0 / (2 * (4 / 3) * 6_371_000.0)
    assert g.worst_clearance_m == pytest.approx(130.0 - 300.0 - bulge, abs=1e-6)
    pts = lc.profile_points(lc.TerrainProfile(z, step_m=100.0), lc.LinkGeometryParams(freq_mhz=1800.0, tx_height_agl_m=30.0,
                                                                                          rx_height_agl_m=30.0))
    assert pts["distance_m"][-1] == pytest.approx(10_000.0) and pts["los_m"][0] == pytest.approx(130.0)


def test_technologies_come_from_one_table_and_5g_nr_is_a_row_of_it():
    rows = lc.technologies()
    assert [r.key for r in rows] == ["lte", "umts", "nr"]
    assert [r.generation for r in rows] == ["4G", "3G", "5G"]
    assert [lc.Technology(r.technology) for r in rows] == [lc.Technology.lte, lc.Technology.umts, lc.Technology.nr]
    nr = lc.traits(lc.Technology.nr)
    assert nr.measure == "SS-RSRP" and nr.file_tag == "5g" and "38.215" in nr.measure_definition
    assert lc.technology_from("nr") == lc.Technology.nr
    with pytest.raises(lc.InvalidArgument, match="lte, umts, nr"):
        lc.technology_from("gsm")
    # SS-RSRP per resource element: 100 MHz at 30 kHz is 273 resource blocks (3GPP TS 38.101-1 table 5.3.2-1).
    assert lc.nr_resource_blocks(100.0, 30.0) == 273
    assert lc.ss_rsrp_dbm(-50.0, 100.0, 30.0) == pytest.approx(-50.0 - 10.0 * math.log10(12 * 273), abs=1e-12)
    # Thresholds per technology, one property per row of the table, settable by keyword.
    o = lc.CoverageOptions(nr_thresholds=lc.SignalThresholds([-70.0, -80.0, -90.0, -100.0]))
    assert list(o.nr_thresholds.lower_bound_dbm)[:4] == [-70.0, -80.0, -90.0, -100.0]
    assert o.thresholds_for(lc.Technology.nr).classify(-85.0) == lc.SignalClass.fair
    assert o.lte_thresholds.classify(-85.0) == lc.SignalClass.good  # the LTE default is untouched


P1812 = DATA / "reference" / "p1812"


def _p1812_path(name):
    rows = _rows(P1812 / "profiles" / f"{name}.csv")
    return lc.P1812Path(distance_km=[float(r["d_km"]) for r in rows], elevation_m=[float(r["h_m_amsl"]) for r in rows],
                        clutter_height_m=[float(r["clutter_height_m"]) for r in rows],
                        clutter=[lc.P1812Clutter(int(r["clutter_code"])) for r in rows],
                        zone=[lc.RadioClimaticZone(int(r["radio_met_zone"])) for r in rows])


def test_p1812_reproduces_itu_validation_cases_through_python():
    worst = 0.0
    for c in _rows(P1812 / "cases.csv"):
        path = _p1812_path(c["profile"])
        link = lc.LinkParams(freq_mhz=float(c["f_MHz"]), tx_height_agl_m=float(c["htg_m"]), rx_height_agl_m=float(c["hrg_m"]),
                             polarization=lc.Polarization.horizontal if c["pol_HV_1h_2v"] == "1" else lc.Polarization.vertical)
        settings = lc.P1812Settings(delta_n_per_km=float(c["DN_profile_header"]), n0_n_units=float(c["N0_profile_header"]),
                                    time_pct=float(c["p_time_pct"]))
        phi = lc.path_centre_latitude_deg(lc.GeoPoint(lat_deg=float(c["tx_lat"]), lon_deg=float(c["tx_lon"])),
                                          lc.GeoPoint(lat_deg=float(c["rx_lat"]), lon_deg=float(c["rx_lon"])), path.distance_km[-1])
        r = lc.p1812_loss(path, link, phi, settings)
        worst = max(worst, abs(r.lb_db - float(c["Lb_ref_dB"])))
        assert r.lbulla_db == pytest.approx(float(c["res:Lbulla (dB) [Eq (21)]"]), abs=1e-6)
    assert worst < 1e-6


def test_p1812_needs_the_areas_refractivity_and_a_latitude():
    with pytest.raises(lc.InvalidArgument, match="delta_n_per_km .*no default"):
        lc.make_model(lc.ModelSpec(model="p1812"))
    model = lc.make_model(lc.ModelSpec(model="p1812", p1812=lc.P1812Settings(delta_n_per_km=45, n0_n_units=325)))
    profile = lc.TerrainProfile([100.0] * 101, step_m=100.0)
    with pytest.raises(lc.InvalidArgument, match="latitude of the path centre"):
        model.path_loss(profile, lc.LinkParams(freq_mhz=900, tx_height_agl_m=30, rx_height_agl_m=1.5))
    link = lc.LinkParams(freq_mhz=900, tx_height_agl_m=30, rx_height_agl_m=1.5, path_centre_lat_deg=21.8)
    loss = model.path_loss(profile, link).loss_db
    # 10 km over flat ground at 900 MHz, 50 % time: free space (3-D distance, 92.4 + 20 log f + 20 log d) plus the
    # smooth-earth diffraction of a 1.5 m receiver, so more than free space and less than free space + 40 dB.
    free = 92.4 + 20 * math.log10(0.9) + 20 * math.log10(math.hypot(10.0, 0.0285))
    assert free < loss < free + 40.0
    with pytest.raises(lc.OutOfDomain, match="freq_mhz must be 30 to 6000"):
        model.path_loss(profile, lc.LinkParams(freq_mhz=7000, tx_height_agl_m=30, rx_height_agl_m=1.5, path_centre_lat_deg=21.8))


def test_p1812_location_variability_follows_equation_65():
    # σL = (0.024 f_GHz + 0.52) w_a^0.28 for a receiver within its clutter; none 10 m above it.
    assert lc.p1812_location_sigma_db(1000.0, 1.5, 10.0, 100.0) == pytest.approx((0.024 + 0.52) * 100 ** 0.28, rel=1e-12)
    assert lc.p1812_location_sigma_db(1000.0, 25.0, 10.0, 100.0) == 0.0
    # I(x) of Attachment 2 is close to the normal quantile: I(0.1) ≈ 1.2816 within the approximation's 4.5e-4.
    assert lc.p1812_inverse_normal(0.1) == pytest.approx(1.2816, abs=5e-4)
    assert lc.p1812_inverse_normal(0.9) == pytest.approx(-1.2816, abs=5e-4)


def test_compare_models_puts_every_model_side_by_side():
    profile = lc.TerrainProfile([100.0] * 40 + [300.0] + [100.0] * 60, step_m=100.0)
    link = lc.LinkParams(freq_mhz=900, tx_height_agl_m=30, rx_height_agl_m=1.5, path_centre_lat_deg=44.4)
    spec = lc.ModelSpec(p1812=lc.P1812Settings(delta_n_per_km=45, n0_n_units=325))
    rows = {r.model: r for r in lc.compare_models(profile, link, spec)}
    assert list(rows) == lc.model_names()
    assert rows["cost231"].loss is None and "outside 1500-2000 MHz" in rows["cost231"].not_applicable
    # each answer is the model's own, as make_model gives it
    for name in ("itm", "hata", "free-space", "bullington", "p1812"):
        s = lc.ModelSpec(model=name, p1812=spec.p1812)
        assert rows[name].loss.loss_db == lc.make_model(s).path_loss(profile, link).loss_db
    # a ridge 200 m above the ground 4 km out: every terrain model is well above free space
    for name in ("itm", "bullington", "p1812"):
        assert rows[name].loss.loss_db > rows["free-space"].loss.loss_db + 20.0
    no_refractivity = {r.model: r for r in lc.compare_models(profile, link, lc.ModelSpec())}
    assert no_refractivity["p1812"].loss is None and "no default" in no_refractivity["p1812"].not_applicable


def test_location_share_goes_to_each_model_its_own_way():
    profile = lc.TerrainProfile([200.0 + 40.0 * math.sin(i / 25.0) for i in range(334)], step_m=30.0)
    link = lc.LinkParams(freq_mhz=900.0, tx_height_agl_m=30.0, rx_height_agl_m=1.5)
    # ITM: its own location variability, which mode 3 (broadcast) keeps and 12 (mobile, +10) removes.
    with pytest.raises(lc.InvalidArgument, match=r"mdvar 12 removes it"):
        lc.make_model(lc.ModelSpec(model="itm", location_pct=90.0))
    with pytest.raises(lc.InvalidArgument, match=r"mdvar 2 \(mobile\) ties locations to the time percentage"):
        lc.make_model(lc.ModelSpec(model="itm", itm=lc.ItmParams(mdvar=2), location_pct=90.0))
    itm3 = lc.ItmParams(mdvar=3)
    median = lc.make_model(lc.ModelSpec(model="itm", itm=itm3)).path_loss(profile, link).loss_db
    at_90 = lc.make_model(lc.ModelSpec(model="itm", itm=itm3, location_pct=90.0)).path_loss(profile, link).loss_db
    direct = lc.ItmModel(lc.ItmParams(mdvar=3, location_pct=90.0, climate=lc.RadioClimate.continental_temperate)).path_loss(profile, link).loss_db
    assert at_90 == pytest.approx(direct, abs=1e-9) and at_90 > median + 1.0
    # P.1812: the share and σ go into its settings.
    spec = lc.ModelSpec(model="p1812", p1812=lc.P1812Settings(delta_n_per_km=45.0, n0_n_units=330.0), location_pct=90.0,
                        location_sigma_db=6.0)
    settings = lc.p1812_settings_of(spec)
    assert settings.location_pct == 90.0 and settings.location_sigma_db == 6.0
    with pytest.raises(lc.InvalidArgument, match=r"location_pct 90 % contradicts p1812\.location_pct = 80 %"):
        lc.p1812_settings_of(lc.ModelSpec(model="p1812", p1812=lc.P1812Settings(delta_n_per_km=45.0, n0_n_units=330.0,
                                                                                 location_pct=80.0), location_pct=90.0))
    # The others: a log-normal margin, σ·Φ⁻¹(p).
    fs = lc.make_model(lc.ModelSpec(model="free-space")).path_loss(profile, link).loss_db
    fs95 = lc.make_model(lc.ModelSpec(model="free-space", location_pct=95.0, location_sigma_db=5.5)).path_loss(profile, link).loss_db
    assert fs95 - fs == pytest.approx(5.5 * 1.6448536269514722, abs=1e-9)
    wrapped = lc.LocationQuantileModel(lc.FreeSpaceModel(), 95.0, 5.5)
    assert wrapped.margin_db(900.0) == pytest.approx(fs95 - fs, abs=1e-12) and wrapped.name == "free-space"
    with pytest.raises(lc.InvalidArgument, match=r"location_pct must be between 1 and 99"):
        lc.make_model(lc.ModelSpec(model="free-space", location_pct=100.0))
    assert "95 % of locations" in lc.describe_model(lc.ModelSpec(model="free-space", location_pct=95.0))


def test_p2109_building_entry_loss():
    # SG3 workbook values (data/reference/p2109/bel_cases.csv), two of them: 2 GHz at 45°, 28 GHz horizontal.
    assert lc.p2109_building_entry_loss_db(2000.0, 50.11872, lc.BuildingType.traditional, 45.0) == pytest.approx(23.556, abs=0.002)
    assert lc.p2109_building_entry_loss_db(28000.0, 79.43282, lc.BuildingType.thermally_efficient, 0.0) == pytest.approx(57.223, abs=0.002)
    with pytest.raises(lc.OutOfDomain, match=r"outside 80 MHz to 100 GHz"):
        lc.p2109_building_entry_loss_db(50.0, 50.0, lc.BuildingType.traditional)
