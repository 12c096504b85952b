// The report's drawing: text through pango in the pinned Noto Sans (every Vietnamese diacritic drawn, not folded to
// ASCII), maps with their legends in the reader's language.
#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>

#include "report/drawing.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
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
