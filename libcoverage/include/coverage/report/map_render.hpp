#ifndef COVERAGE_MAP_RENDER_HPP
#define COVERAGE_MAP_RENDER_HPP

#include <coverage/terrain/dem.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/radio/signal_class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coverage {

/**
 * The file formats maps and charts are written in: PNG (pixels, for screens and the report page), PDF and SVG (for
 * print: lines and text stay sharp at any scale, text stays text; the map's terrain and signal layer is an image).
 */
enum class PictureFormat { png, pdf, svg };

/** "png", "pdf", "svg": the format's name, also its file extension. */
[[nodiscard]] const char* to_string(PictureFormat format);
/** The format a file name's extension (.png, .pdf, .svg, any case) asks for. @throws InvalidArgument naming the file otherwise. */
[[nodiscard]] PictureFormat picture_format_of(const std::string& path);

/** A labelled point drawn on a map (a hamlet, a tower). */
struct MapLabel {
    enum class Marker { place, tower };
    GeoPoint location;
    std::string text;
    Marker marker = Marker::place; ///< place: white square, text to the right; tower: black triangle, text below
};

/** A polyline drawn on a map (a fibre route, a microwave hop), with a white casing for contrast. */
struct MapLine {
    std::vector<GeoPoint> points;
    std::uint8_t red = 0;
    std::uint8_t green = 0;
    std::uint8_t blue = 0;
    bool dashed = false;
    int width_px = 3;  ///< the plan's lines 3, background features (roads, streams) thinner
    bool halo = true;  ///< a white edge that keeps the line readable over any colour
    std::string legend; ///< its entry in the legend (lines with the same text share one); empty: none
};

/** A picture of the grid for the report's interactive map: PNG bytes covering the grid's extent, `factor` cells a pixel. */
struct GridPicture {
    std::string png;
    int factor = 1;
};

/** The terrain's hillshade (sun from the north-west at 45°), grey, opaque; large grids shrunk to at most 1600 pixels a side. */
[[nodiscard]] GridPicture hillshade_picture(const Dem& dem);

/** A categorical raster in its palette's colours at `alpha` (cells without an entry transparent), shrunk as hillshade_picture. */
[[nodiscard]] GridPicture category_picture(const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette,
                                           std::uint8_t alpha);

/** Leaflet's script and stylesheet from Debian's libjs-leaflet, to inline in a page that must work offline. */
struct LeafletAssets {
    std::string js;   ///< leaflet.min.js without its source-map comment
    std::string css;  ///< leaflet.css with its image references removed (the page draws no icon images)
    std::string version;
};

/** @throws IoError naming the file and the package libjs-leaflet when it is missing. */
[[nodiscard]] const LeafletAssets& leaflet_assets();

/** The words a map prints besides its title and legend entries, in the reader's language, and its data notice. */
struct MapWords {
    std::string legend = "Legend";
    std::string north = "N";             ///< the letter on the north arrow
    std::string degrees_east = "°E";     ///< after a longitude tick's number
    std::string degrees_north = "°N";    ///< after a latitude tick's number
    std::string degrees_west = "°W";     ///< after a longitude tick's number west of Greenwich (written without its sign)
    std::string degrees_south = "°S";    ///< after a latitude tick's number south of the equator
    bool decimal_comma = false;          ///< 21,83 rather than 21.83 (Vietnamese)
    std::string notice;                  ///< printed under the legend, e.g. that the terrain is synthetic; empty: none
};

/**
 * The lines of a vector file (GeoJSON, GeoPackage, KML, Shapefile through OGR) in WGS84, for drawing on a map:
 * line strings, and polygons' rings (multi-part geometries part by part). `what` names the file in errors.
 * @throws IoError when unreadable; InvalidArgument naming the file and feature for a point or other geometry.
 */
[[nodiscard]] std::vector<std::vector<GeoPoint>> read_map_lines(const std::string& path, const std::string& what);

/** Colour table of the signal classes (ColorBrewer RdYlGn, colour-blind safe order), labels with the thresholds in dBm. */
[[nodiscard]] std::vector<ColorEntry> signal_class_palette(const SignalThresholds& thresholds, const std::string& measure);

/**
 * The same colours for a map whose cells are classed by several technologies' thresholds (each cell by its best
 * server's): each label gives every technology's bound, e.g. "fair (RSRP >= -100, RSCP >= -100 dBm)".
 * @throws InvalidArgument for an empty list.
 */
[[nodiscard]] std::vector<ColorEntry> mixed_signal_class_palette(const std::vector<std::pair<Technology, SignalThresholds>>& by_technology);

/** A distinct colour per sector for best-server maps (index i → entry i), labelled with the sector ids. */
[[nodiscard]] std::vector<ColorEntry> server_palette(const std::vector<std::string>& sector_ids);

/**
 * Render a categorical raster over a hillshade of the DEM, with a title, a legend (one swatch per palette entry),
 * optional lines (drawn under the labels) and point labels (placed so that they do not overlap), a scale bar, a north
 * arrow, latitude/longitude ticks and the notice of `words`, and write it atomically in the format the file's
 * extension names (.png, .pdf, .svg: picture_format_of). Text is drawn with pango in the pinned Noto Sans (Debian
 * fonts-noto-core), names exactly as given.
 * @param categories values are palette indices; values without a palette entry are drawn as terrain only.
 * @throws IoError naming the file, or the font file and its package when the font is missing; InvalidArgument for
 *         another extension.
 */
void write_map_png(const std::string& path, const Dem& dem, const Raster<std::uint8_t>& categories,
                   const std::vector<ColorEntry>& palette, const std::string& title,
                   const std::vector<MapLabel>& labels = {}, const std::vector<MapLine>& lines = {},
                   const MapWords& words = {});

/** The same map as PNG bytes, for a page that embeds it. */
[[nodiscard]] std::string map_png(const Dem& dem, const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette,
                                  const std::string& title, const std::vector<MapLabel>& labels = {},
                                  const std::vector<MapLine>& lines = {}, const MapWords& words = {});
/** The same map as the bytes of a file in `format` (the PDF and SVG have the PNG's layout, one page). */
[[nodiscard]] std::string map_picture(PictureFormat format, const Dem& dem, const Raster<std::uint8_t>& categories,
                                      const std::vector<ColorEntry>& palette, const std::string& title,
                                      const std::vector<MapLabel>& labels = {}, const std::vector<MapLine>& lines = {},
                                      const MapWords& words = {});

/**
 * The colour table of the signal classes with labels in `language`'s words ("vi", "en"), for maps people read:
 * e.g. "khá (RSRP ≥ −100 dBm)". @throws InvalidArgument for a language without a catalogue.
 */
[[nodiscard]] std::vector<ColorEntry> signal_class_legend(const SignalThresholds& thresholds, const std::string& measure,
                                                          const std::string& language);

/**
 * The classes of several technologies together (each cell by its best server's), labels in `language`'s words, e.g.
 * "khá (RSRP ≥ −100, RSCP ≥ −100 dBm)"; the colours of signal_class_palette. @throws InvalidArgument for an empty list
 * or a language without a catalogue.
 */
[[nodiscard]] std::vector<ColorEntry> mixed_signal_class_legend(const std::vector<std::pair<Technology, SignalThresholds>>& by_technology,
                                                                const std::string& language);

/** The map words (legend heading, north letter, degree suffixes, decimal sign) of `language`. */
[[nodiscard]] MapWords map_words(const std::string& language);

/**
 * Write a categorical raster as a KMZ super-overlay for Google Earth (reprojected to WGS84, PNG tiles,
 * cells without a palette entry transparent), atomically.
 * @throws IoError naming the file.
 */
void write_kmz(const std::string& path, const Raster<std::uint8_t>& categories, const std::vector<ColorEntry>& palette,
               const std::string& name);

/** A line chart: points joined by straight segments, with optional horizontal and vertical reference lines. */
struct Chart {
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<double> x;
    std::vector<double> y;
    std::vector<std::string> point_labels;   ///< drawn next to each point (may be empty)
    std::optional<double> h_line;            ///< e.g. an upper bound
    std::string h_line_label;
    std::optional<double> v_line;            ///< e.g. the budget
    std::string v_line_label;
    std::vector<std::pair<double, std::string>> more_v_lines; ///< e.g. the end of each year's budget, dotted, labelled
    std::string language = "en";             ///< the numbers on the axes as this language writes them ("vi": 1.234,5)
};

/**
 * Write a chart atomically in the format the file's extension names (.png, .pdf, .svg).
 * @throws IoError naming the file; InvalidArgument for x/y of different lengths or another extension.
 */
void write_chart_png(const std::string& path, const Chart& chart);

/** The chart as PNG bytes. @throws InvalidArgument for x/y of different lengths. */
[[nodiscard]] std::string chart_png(const Chart& chart);

/** The chart as the bytes of a file in `format`. @throws InvalidArgument for x/y of different lengths. */
[[nodiscard]] std::string chart_picture(PictureFormat format, const Chart& chart);

} // namespace coverage

#endif // COVERAGE_MAP_RENDER_HPP
