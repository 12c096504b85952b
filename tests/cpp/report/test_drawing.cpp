// The report's drawing: text through pango in the pinned Noto Sans (every Vietnamese diacritic drawn, not folded to
// ASCII), maps with their legends in the reader's language.
#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>

#include "report/drawing.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <regex>
#include <string>

using namespace coverage;
using namespace coverage::detail;

namespace {

// Pixels of a drawing with one text on it, and how many are not white.
std::pair<RgbaImage, std::size_t> drawn(const std::string& text, double size_px = 24.0) {
    Drawing d(400, 60);
    d.text(10.0, 10.0, text, TextStyle{.size_px = size_px});
    RgbaImage img = d.to_rgba();
    std::size_t ink = 0;
    for (std::size_t i = 0; i < img.rgba.size(); i += 4) {
        ink += img.rgba[i] < 200 ? 1 : 0;
    }
    return {std::move(img), ink};
}

} // namespace

TEST_CASE("Map text keeps its diacritics: Bản Chương is not drawn as Ban Chuong", "[drawing]") {
    const auto [with, ink_with] = drawn("Bản Chương");
    const auto [without, ink_without] = drawn("Ban Chuong");
    CHECK(ink_without > 200);            // the text is drawn at all
    CHECK(ink_with > ink_without + 20);  // the hook above a, the horns on u and o: more ink, not the same letters
    CHECK(with.rgba != without.rgba);
    // Every character the maps and legends use has a glyph: Vietnamese from Noto Sans, ≥ and − from Noto Sans Math
    // (the same package); a script the fonts do not cover is counted, so the check can fail.
    Drawing d(10, 10);
    const TextStyle s{.size_px = 14.0};
    CHECK(d.missing_glyphs("Khuổi Mèo, Nghinh Tác, Đ, ư, ơ, ạ, ỹ: RSRP ≥ −100 dBm, 21,96°B 105,95°Đ", s) == 0);
    CHECK(d.missing_glyphs("Chú giải: rất tốt, khá, yếu, không có sóng; cáp quang → trạm BTS", TextStyle{.size_px = 14.0, .bold = true}) == 0);
    CHECK(d.missing_glyphs("中文", s) == 2);
    // The same text draws the same pixels (pinned font, no hinting): reproducible PNGs.
    CHECK(drawn("Khuổi Mèo").first.rgba == drawn("Khuổi Mèo").first.rgba);
}

TEST_CASE("Text measures grow with the text and the size", "[drawing]") {
    Drawing d(10, 10);
    const auto [w1, h1] = d.measure("Nà Ca", TextStyle{.size_px = 14.0});
    const auto [w2, h2] = d.measure("Nà Ca, Phú Cốc", TextStyle{.size_px = 14.0});
    const auto [w3, h3] = d.measure("Nà Ca", TextStyle{.size_px = 28.0});
    CHECK(w2 > w1 * 2.0);
    CHECK_THAT(w3, Catch::Matchers::WithinRel(2.0 * w1, 0.05));
    CHECK(h3 > h1 * 1.8);
    CHECK(d.paragraph(0, 0, 80.0, "một đoạn văn dài được ngắt thành nhiều dòng", TextStyle{.size_px = 14.0}, false) > 3.0 * h1);
    CHECK_THROWS_AS(Drawing(0, 10), InvalidArgument);
}

TEST_CASE("Signal-class legends in the reader's language", "[drawing]") {
    SignalThresholds t;
    t.class_count = 5;
    t.lower_bound_dbm = {-80.0, -90.0, -100.0, -110.0, -120.0};
    const auto vi = signal_class_legend(t, "RSRP", "vi");
    const auto en = signal_class_legend(t, "RSRP", "en");
    REQUIRE(vi.size() == 6);
    CHECK(vi[2].label == "khá (RSRP ≥ −100 dBm)");
    CHECK(en[2].label == "fair (RSRP ≥ −100 dBm)");
    CHECK(vi[5].label == "không có sóng (RSRP < −120 dBm)");
    CHECK(vi[2].red == en[2].red);
    const MapWords w = map_words("vi");
    CHECK(w.legend == "Chú giải");
    CHECK(w.decimal_comma);
    CHECK_THROWS_AS(map_words("de"), InvalidArgument);
}

TEST_CASE("Several technologies' classes in one legend, in the reader's language", "[drawing]") {
    SignalThresholds lte;
    lte.class_count = 5;
    lte.lower_bound_dbm = {-80.0, -90.0, -100.0, -110.0, -120.0};
    SignalThresholds umts;
    umts.class_count = 4;
    umts.lower_bound_dbm = {-75.0, -85.0, -95.0, -105.0, 0.0};
    const auto vi = mixed_signal_class_legend({{Technology::lte, lte}, {Technology::umts, umts}}, "vi");
    REQUIRE(vi.size() == 6);
    CHECK(vi[2].label == "khá (RSRP ≥ −100, RSCP ≥ −95 dBm)");
    CHECK(vi[4].label == "rất yếu (RSRP ≥ −120 dBm)"); // beyond UMTS's four classes only LTE's bound
    CHECK(vi[5].label == "không có sóng (RSRP < −120, RSCP < −105 dBm)");
    const auto en = mixed_signal_class_legend({{Technology::lte, lte}}, "en");
    CHECK(en[2].label == signal_class_legend(lte, "RSRP", "en")[2].label); // one technology: the single legend
    CHECK_THROWS_AS(mixed_signal_class_legend({}, "vi"), InvalidArgument);
}

namespace {

// A small terrain: a ridge across a valley, 60 x 40 cells of 30 m in UTM 48N (Thái Nguyên).
Dem ridge() {
    const GeoTransform grid{.xorig = 590000.0, .xscale = 30.0, .xrot = 0.0, .yorig = 2412000.0, .yrot = 0.0, .yscale = -30.0};
    Raster<float> z(60, 40, grid, Crs{"EPSG:32648"}, 300.0F);
    for (int row = 0; row < 40; ++row) {
        for (int col = 0; col < 60; ++col) {
            z.at(col, row) = 300.0F + 200.0F * static_cast<float>(std::exp(-std::pow((col - 30) / 8.0, 2)));
        }
    }
    return Dem(std::move(z));
}

} // namespace

TEST_CASE("Maps and charts for print: the PNG's layout as PDF and SVG, text kept as text", "[drawing]") {
    const Dem dem = ridge();
    Raster<std::uint8_t> classes(60, 40, dem.raster().transform(), dem.crs(), std::uint8_t{255});
    for (int row = 0; row < 40; ++row) {
        for (int col = 0; col < 30; ++col) {
            classes.at(col, row) = static_cast<std::uint8_t>(col / 6);
        }
    }
    SignalThresholds t;
    t.class_count = 5;
    t.lower_bound_dbm = {-80.0, -90.0, -100.0, -110.0, -120.0};
    const std::vector<ColorEntry> legend = signal_class_legend(t, "RSRP", "vi");
    const std::vector<MapLabel> labels = {{GeoPoint{21.8041, 105.8804}, "Bản Chương"}}; // inside the grid (UTM 48N 591 km E, 2411 km N)
    const auto picture = [&](PictureFormat f) { return map_picture(f, dem, classes, legend, "Sóng 4G", labels, {}, map_words("vi")); };
    const std::string png = picture(PictureFormat::png);
    const std::string pdf = picture(PictureFormat::pdf);
    const std::string svg = picture(PictureFormat::svg);
    REQUIRE(png.rfind("\x89PNG", 0) == 0);
    const auto be32 = [&](std::size_t at) {
        return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) | (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
               (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) | static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
    };
    const double width_px = be32(16);
    const double height_px = be32(20);
    // PDF: one page of the PNG's size at 0.75 pt a pixel (96 dpi), the Noto Sans subset embedded (text, not pixels).
    REQUIRE(pdf.rfind("%PDF-", 0) == 0);
    std::smatch box;
    REQUIRE(std::regex_search(pdf, box, std::regex(R"(/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\])")));
    CHECK_THAT(std::stod(box[1].str()), Catch::Matchers::WithinAbs(0.75 * width_px, 0.01));
    CHECK_THAT(std::stod(box[2].str()), Catch::Matchers::WithinAbs(0.75 * height_px, 0.01));
    CHECK(std::regex_search(pdf, std::regex(R"(/BaseFont /[A-Z]{6}\+NotoSans)")));
    CHECK(pdf.find("/Subtype /Image") != std::string::npos); // the terrain and signal layer
    CHECK(std::count(pdf.begin(), pdf.end(), '\n') > 20);
    CHECK(std::regex_search(pdf, std::regex(R"(/Type /Page\b)")));
    // SVG: the PNG's size in pixels, the layer as an embedded image.
    REQUIRE(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("width=\"" + std::to_string(static_cast<int>(width_px)) + "px\"") != std::string::npos);
    CHECK(svg.find("height=\"" + std::to_string(static_cast<int>(height_px)) + "px\"") != std::string::npos);
    CHECK(svg.find("<image") != std::string::npos);
    // The same drawing gives the same PDF (no time stamp inside), so a re-run changes nothing; the same SVG but for
    // the numbers cairo gives its elements (counted per process: image168, glyph5-11).
    CHECK(picture(PictureFormat::pdf) == pdf);
    const std::regex numbered(R"((image|glyph|surface|pattern|clip|mask|source)[0-9]+(-[0-9]+)?)");
    CHECK(std::regex_replace(picture(PictureFormat::svg), numbered, "$1#") == std::regex_replace(svg, numbered, "$1#"));
    // A chart as well.
    Chart c;
    c.title = "Số hộ";
    c.x = {0.0, 1.0, 2.0};
    c.y = {0.0, 5.0, 7.0};
    CHECK(chart_picture(PictureFormat::pdf, c).rfind("%PDF-", 0) == 0);
    // The file name says the format; another one is refused naming the file.
    CHECK(picture_format_of("maps/coverage_4g.PDF") == PictureFormat::pdf);
    CHECK(picture_format_of("a.svg") == PictureFormat::svg);
    CHECK_THROWS_WITH(picture_format_of("map.jpg"), Catch::Matchers::Contains("'map.jpg'") && Catch::Matchers::Contains(".png, .pdf or .svg"));
}
