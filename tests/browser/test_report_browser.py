"""The Sảng Mộc report as its readers open it: Debian's Chromium driven by selenium (chromium-driver).

The report must open with no console error and no network request (only data: and file: URLs), show the interactive
map with its layers, answer a click on a hamlet with its name (diacritics intact) and rank, switch language by its
link, look like something (a screenshot that is not blank), and print to a PDF with the report's sections; and the
province page's tables sort by a click on a heading.
Skips, saying why, only when Chromium cannot start on this machine.
"""
import base64
import json
import os
import pathlib
import subprocess
import zlib
import re

import numpy as np
import pytest
from PIL import Image

COVTOOL = os.environ["COVTOOL"]
REPO = pathlib.Path(__file__).resolve().parents[2]
ARTEFACTS = pathlib.Path(os.environ.get("BROWSER_ARTEFACTS", "browser-artefacts"))


@pytest.fixture(scope="module")
def report(browser, tmp_path_factory):
    """The Sảng Mộc study as a user runs it, with --pdf (after `browser`: where Chromium cannot start, this skips too)."""
    out = tmp_path_factory.mktemp("sang_moc") / "out"
    r = subprocess.run([COVTOOL, "study", str(REPO / "data" / "sang_moc" / "study.toml"), "-o", str(out), "--threads", "2", "--pdf"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:  # .ci/run installs python3-selenium: this is a broken machine, not a skip
        raise AssertionError(f"python3-selenium is missing ({e}); install it (build.sh deps)")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1400"]:
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    except Exception as e:  # noqa: BLE001 - whatever keeps Chromium from starting
        pytest.skip(f"Chromium cannot start on this machine, the browser checks of the report did not run: {e}")
    yield driver
    driver.quit()


def open_page(driver, path):
    driver.get_log("browser")  # forget what earlier pages logged
    driver.get_log("performance")
    driver.get(path.as_uri())
    driver.execute_script("return document.readyState")


def requests_and_errors(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    return urls, errors


def test_the_vietnamese_report_opens_offline_without_errors(browser, report):
    open_page(browser, report / "report.html")
    urls, errors = requests_and_errors(browser)
    assert errors == [], errors
    outside = [u[:80] for u in urls if not (u.startswith("data:") or u.startswith("file:"))]
    assert outside == [], f"the report asked the network for {outside}"
    assert any(u.startswith("data:image/png") for u in urls), "no embedded picture was loaded"
    assert browser.execute_script("return document.documentElement.lang") == "vi"
    assert "báo cáo vùng phủ sóng" in browser.title
    headings = [h.text for h in browser.find_elements("css selector", "h2")]
    for expected in ("Tóm tắt", "Bản đồ", "Bản đồ tương tác", "Vùng lõm sóng nào cần phủ sóng trước", "Thuật ngữ"):
        assert expected in headings, headings


def test_the_interactive_map_has_its_layers_and_a_hamlet_answers_a_click(browser, report):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, report / "report.html")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return !!window.reportMap"))
    labels = [e.text.strip() for e in browser.find_elements("css selector", ".leaflet-control-layers label")]
    assert labels == ["Địa hình", "Sóng 4G", "Sóng 3G", "Cáp quang hiện có", "Trạm BTS hiện có", "Phương án", "Thôn, bản"], labels
    # Leaflet drew the pictures and the vector layers.
    assert len(browser.find_elements("css selector", "#imap img.leaflet-image-layer")) >= 2
    assert len(browser.find_elements("css selector", "#imap path.leaflet-interactive")) >= 11
    # A real click where the marker of Nà Ca (the first dead zone to serve) is drawn.
    box = browser.execute_script("""
        const m = window.reportMap.map;
        let at = null;
        window.reportMap.hamlets.eachLayer(function (l) { if (l.getTooltip().getContent() === 'Nà Ca') { at = l.getLatLng(); } });
        m.setView(at, m.getZoom(), {animate: false});
        const p = m.latLngToContainerPoint(at);
        const r = document.getElementById('imap').getBoundingClientRect();
        return [p.x, p.y, r.width, r.height];""")
    element = browser.find_element("id", "imap")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    ActionChains(browser).move_to_element_with_offset(element, box[0] - box[2] / 2, box[1] - box[3] / 2).click().perform()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements("css selector", ".leaflet-popup-content"))
    popup = browser.find_element("css selector", ".leaflet-popup-content").text
    assert popup.startswith("Nà Ca"), popup
    assert "hạng 1 trong 9 vùng lõm sóng" in popup, popup
    assert "vùng lõm sóng" in popup and "hộ" in popup
    WebDriverWait(browser, 5).until(lambda d: d.execute_script(
        "return getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"))  # faded in
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "interactive_map_popup.png"))
    _, errors = requests_and_errors(browser)
    assert errors == [], errors


def test_the_language_link_opens_the_english_copy(browser, report):
    open_page(browser, report / "report.html")
    vi_title = browser.title
    browser.find_element("link text", "English").click()
    assert browser.current_url.endswith("report.en.html")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert browser.title != vi_title and "coverage report" in browser.title
    assert browser.find_element("css selector", "h2").text == "Summary"
    browser.find_element("link text", "Tiếng Việt").click()
    assert browser.current_url.endswith("report.html")


def test_a_screenshot_of_the_first_screen_is_not_blank(browser, report):
    open_page(browser, report / "report.html")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "report_vi_first_screen.png"
    browser.save_screenshot(str(shot))
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int32)
    colours = len(np.unique(pixels.reshape(-1, 3), axis=0))
    not_white = (pixels.sum(axis=2) < 700).mean()
    assert colours > 50 and not_white > 0.02, f"{colours} colours, {not_white:.1%} of the pixels not white"


def _pdf_text(pdf: bytes) -> str:
    """The text a PDF shows, from its Flate-compressed content streams (enough to find the section titles)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out).decode("latin-1")


def test_the_printed_report_has_its_sections_on_a4(browser, report):
    open_page(browser, report / "report.en.html")  # the English copy: Chromium's PDF text is searchable in ASCII
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 6, f"{pages} pages"
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf))
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in sizes), sizes  # A4 in points
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "report_en.pdf").write_bytes(pdf)
    # The interactive map is for the screen: the printed report keeps the static maps instead.
    assert browser.execute_script("return getComputedStyle(document.getElementById('imap')).display") != "none"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.execute_script("return getComputedStyle(document.getElementById('imap')).display") == "none"
    breaks = browser.execute_script("return [...document.querySelectorAll('h2')].map(h => getComputedStyle(h).breakBefore)")
    assert breaks[0] != "page" and breaks.count("page") >= 5, breaks
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_covtool_study_pdf_prints_the_report_for_a_commune_office(report):
    """covtool study --pdf: report.pdf printed by headless Chromium from report.html, A4, listed in run.json."""
    pdf = (report / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 6, f"{pages} pages"
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf))
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in sizes), sizes  # A4 in points
    # the static maps are in it (pictures), the interactive map is not (its tiles would be images too, but it is hidden)
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) >= 4
    run = json.loads((report / "run.json").read_text())
    assert "report.pdf" in run["outputs"]
    leftovers = [p.name for p in report.parent.iterdir() if p.name != report.name]
    assert leftovers == [], leftovers


def test_the_province_page_sorts_its_dead_zones_by_a_click(browser, report, tmp_path):
    """province.html (libcoverage.province_page) of two communes, the Sảng Mộc study's folder and a copy with fewer
    households: real clicks on a heading sort the table of dead zones by that column, again to reverse it."""
    import pandas as pd
    from libcoverage.distributed import CommuneResult, ProvinceResult
    from libcoverage.province_page import write_province_pages

    def tables(folder):  # the DataFrames the province runner keeps, from the study's CSVs (dead_zone: yes/no -> bool)
        hamlets = pd.read_csv(folder / "hamlets.csv")
        return dict(hamlets=hamlets.assign(dead_zone=hamlets["dead_zone"].eq("yes")), priorities=pd.read_csv(folder / "priorities.csv"),
                    plan=pd.read_csv(folder / "plan.csv"))

    sang_moc = CommuneResult("Sảng Mộc", str(report), **tables(report))
    other = tables(report)
    other["priorities"] = other["priorities"].assign(score=other["priorities"]["score"] / 2.0,
                                                     households_unserved=other["priorities"]["households_unserved"] + 100)
    thuong_nung = CommuneResult("Thượng Nung", str(report), **other)
    failed = CommuneResult("Cúc Đường", str(tmp_path / "none"), ok=False, error="sites.csv, row 3, field freq_mhz")
    province = ProvinceResult("Võ Nhai", str(tmp_path), [sang_moc, thuong_nung, failed], 1.0, 1)
    page = pathlib.Path(write_province_pages(province, "vi")[0])
    open_page(browser, page)
    urls, errors = requests_and_errors(browser)
    assert errors == [] and all(u.startswith(("data:", "file:")) for u in urls), (errors, urls)

    def column(index):
        return [r.find_elements("css selector", "td")[index].text for r in
                browser.find_elements("css selector", "#dead-zones tbody tr")]

    rows = len(browser.find_elements("css selector", "#dead-zones tbody tr"))
    assert rows == 2 * len(sang_moc.priorities)
    assert column(1)[0] == "Sảng Mộc"  # highest score first, as written
    headings = browser.find_elements("css selector", "#dead-zones th")
    headings[3].click()  # households without service, ascending
    unserved = [float(v.replace(".", "").replace(",", ".")) for v in column(3)]
    assert unserved == sorted(unserved) and unserved[0] < unserved[-1]
    assert headings[3].get_attribute("aria-sort") == "ascending"
    headings[3].click()  # again: descending
    unserved = [float(v.replace(".", "").replace(",", ".")) for v in column(3)]
    assert unserved == sorted(unserved, reverse=True)
    assert set(column(1)[: len(sang_moc.priorities)]) == {"Thượng Nung"}  # 100 more households each
    before = column(2)
    headings[2].click()  # hamlet names, in the order of the browser's Vietnamese collation
    names = column(2)
    collated = browser.execute_script("return arguments[0].slice().sort(function (a, b) { return a.localeCompare(b, 'vi'); })", names)
    assert names == collated and names != before
    links = browser.find_elements("css selector", "#dead-zones tbody tr td:last-child a")
    assert len(links) == rows and all(a.get_attribute("href").endswith("/report.html") for a in links)
    assert "Cúc Đường" in browser.find_element("id", "communes").text  # the failed commune, with its error
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "province_sorted.png"))
