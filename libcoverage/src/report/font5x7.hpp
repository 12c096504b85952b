// Private: a 5×7 bitmap font for legends.
#ifndef COVERAGE_SRC_RENDER_FONT5X7_HPP
#define COVERAGE_SRC_RENDER_FONT5X7_HPP

#include <string>
#include <string_view>

namespace coverage::detail {

inline constexpr int glyph_width = 5;
inline constexpr int glyph_height = 7;
inline constexpr int glyph_advance = 6;

/** True where glyph `c` has ink at (x, y), 0 <= x < 5, 0 <= y < 7. Unknown characters are blank. */
[[nodiscard]] bool glyph_pixel(char c, int x, int y) noexcept;

/**
 * UTF-8 text folded to the font's ASCII: Latin letters with diacritics (Latin-1, Latin Extended-A/B and the
 * Vietnamese block U+1EA0..U+1EF9) become their base letter (Đ → D, ư → u, ổ → o); other characters become '?'.
 */
[[nodiscard]] std::string ascii_fold(std::string_view utf8);

} // namespace coverage::detail

#endif
