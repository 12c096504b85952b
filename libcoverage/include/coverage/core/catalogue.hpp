#ifndef COVERAGE_CORE_CATALOGUE_HPP
#define COVERAGE_CORE_CATALOGUE_HPP

#include <map>
#include <string>
#include <vector>

namespace coverage {

/** The languages the report, its maps and charts can be written in ("vi", "en"), the study's default last. */
[[nodiscard]] std::vector<std::string> message_languages();

/**
 * Every word of `language`'s message catalogue by key (the gettext file resources/i18n/<language>.po that the report,
 * the maps, the charts and the CSV reasons take their words from; {name} marks a value put in).
 * @throws InvalidArgument for a language without a catalogue; IoError naming the file and line of a malformed one.
 */
[[nodiscard]] std::map<std::string, std::string> message_catalogue(const std::string& language);

} // namespace coverage

#endif // COVERAGE_CORE_CATALOGUE_HPP
