// Private: the message catalogues every word a reader sees comes from (report, map titles and legends, reasons in the
// CSVs, the CLI summary), one gettext .po file per language in the resource folder, read by the library itself (no
// locale needs to be generated on the machine), with the language's number and date formats.
#ifndef COVERAGE_SRC_CORE_MESSAGES_HPP
#define COVERAGE_SRC_CORE_MESSAGES_HPP

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coverage::detail {

/**
 * The folder of the library's resources (i18n/, templates/): $LIBCOVERAGE_RESOURCE_DIR when set, else the source
 * tree's libcoverage/resources when it exists (a build tree), else the installed share/libcoverage.
 * @throws IoError naming the places looked in when none holds i18n/en.po.
 */
[[nodiscard]] std::string resource_dir();

/** The languages there are catalogues for, in the order the report offers them. */
[[nodiscard]] const std::vector<std::string>& report_languages();

/** A named value put into a message: {name} in the catalogue's text. */
using MessageArg = std::pair<std::string_view, std::string>;

/** One language's catalogue. */
class Messages {
public:
    /**
     * The catalogue of `language` ("vi", "en"), read once per process from resource_dir()/i18n/<language>.po.
     * @throws InvalidArgument for a language with no catalogue (naming the languages there are); IoError naming the
     * file and line for a malformed catalogue.
     */
    [[nodiscard]] static const Messages& of(const std::string& language);
    /** Parse a catalogue's text (`file` names it in errors). */
    Messages(std::string language, std::string file, std::string_view po_text);

    [[nodiscard]] const std::string& language() const { return m_language; }
    [[nodiscard]] const std::string& file() const { return m_file; }
    [[nodiscard]] const std::map<std::string, std::string, std::less<>>& entries() const { return m_entries; }
    [[nodiscard]] bool has(std::string_view key) const { return m_entries.find(key) != m_entries.end(); }

    /** The text of `key`. @throws InvalidArgument naming the catalogue file and the key when it lacks it. */
    [[nodiscard]] const std::string& text(std::string_view key) const;
    /**
     * The text of `key` with every {name} replaced by its argument.
     * @throws InvalidArgument naming the file and key for a missing key, or a {name} with no argument.
     */
    [[nodiscard]] std::string format(std::string_view key, std::initializer_list<MessageArg> args) const;
    /** As format, with the arguments HTML-escaped (the catalogue's own text may hold <b>, <i>). */
    [[nodiscard]] std::string html(std::string_view key, std::initializer_list<MessageArg> args = {}) const;

    /** A number with `decimals` digits, grouped by thousands, in the language's separators (1,234.5 / 1.234,5). */
    [[nodiscard]] std::string number(double value, int decimals = 0) const;
    /** A percentage: number(value, decimals) and the language's percent sign spacing ("94 %"). */
    [[nodiscard]] std::string percent(double value, int decimals = 0) const;
    /** US dollars, whole: "USD 481,715" / "481.715 USD". */
    [[nodiscard]] std::string money_usd(double usd) const;
    /** A distance: metres below a kilometre, kilometres with one decimal above. */
    [[nodiscard]] std::string distance(double metres) const;
    /** A UTC time stamp "YYYY-MM-DDTHH:MM:SSZ" as the language writes a date and time (dd/mm/yyyy HH:MM UTC). */
    [[nodiscard]] std::string date_time(std::string_view iso_utc) const;

private:
    std::string m_language;
    std::string m_file;
    std::map<std::string, std::string, std::less<>> m_entries;
    char m_decimal = '.';
    char m_group = ',';
};

} // namespace coverage::detail

#endif
