// Private: a 5×7 bitmap font for legends.
#ifndef COVERAGE_SRC_RENDER_FONT5X7_HPP
#define COVERAGE_SRC_RENDER_FONT5X7_HPP

namespace coverage::detail {

inline constexpr int glyph_width = 5;
inline constexpr int glyph_height = 7;
inline constexpr int glyph_advance = 6;

/** True where glyph `c` has ink at (x, y), 0 <= x < 5, 0 <= y < 7. Unknown characters are blank. */
[[nodiscard]] bool glyph_pixel(char c, int x, int y) noexcept;

} // namespace coverage::detail

#endif
