// Message catalogues: a reader of gettext .po files (msgid/msgstr pairs, continued strings, C escapes, comments),
// keyed by msgid, and the language's number, money, distance and date formats taken from its own entries.

#include <coverage/core/catalogue.hpp>
#include <coverage/core/error.hpp>

#include "core/messages.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#ifndef COVERAGE_SOURCE_RESOURCE_DIR
#define COVERAGE_SOURCE_RESOURCE_DIR ""
#endif
#ifndef COVERAGE_INSTALL_RESOURCE_DIR
#define COVERAGE_INSTALL_RESOURCE_DIR ""
#endif

namespace coverage::detail {

namespace fs = std::filesystem;

std::string resource_dir() {
    std::vector<std::string> tried;
    const char* env = std::getenv("LIBCOVERAGE_RESOURCE_DIR");
    for (const char* dir : {env, COVERAGE_SOURCE_RESOURCE_DIR, COVERAGE_INSTALL_RESOURCE_DIR}) {
        if (dir == nullptr || *dir == '\0') {
            continue;
        }
        if (fs::is_regular_file(fs::path(dir) / "i18n" / "en.po")) {
            return dir;
        }
        tried.emplace_back(dir);
        if (dir == env) { // a folder the user named must be the one used
            break;
        }
    }
    std::string where;
    for (const auto& t : tried) {
        where += (where.empty() ? "" : ", ") + t;
    }
    throw IoError("libcoverage's resources (message catalogues, report template) are not found: looked for i18n/en.po in " +
                  (where.empty() ? std::string("no folder") : where) +
                  "; install the library (cmake --install) or set LIBCOVERAGE_RESOURCE_DIR to its share/libcoverage folder");
}

const std::vector<std::string>& report_languages() {
    static const std::vector<std::string> languages{"vi", "en"};
    return languages;
}

namespace {

// The string of a quoted .po token ("..." with C escapes); `where` names file and line in errors.
std::string unquote(std::string_view s, const std::string& where) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') {
        throw IoError(where + ": a quoted string is expected");
    }
    s = s.substr(1, s.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            if (s[i] == '"') {
                throw IoError(where + ": a quote inside a string must be written \\\"");
            }
            out += s[i];
            continue;
        }
        if (++i == s.size()) {
            throw IoError(where + ": the string ends with a lone backslash");
        }
        switch (s[i]) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        default: throw IoError(where + ": unknown escape \\" + std::string(1, s[i]));
        }
    }
    return out;
}

} // namespace

Messages::Messages(std::string language, std::string file, std::string_view po_text)
    : m_language(std::move(language)), m_file(std::move(file)) {
    enum class Field { none, ctxt, id, str };
    Field field = Field::none;
    std::string id;
    std::string str;
    bool have_id = false;
    int entry_line = 0;
    const auto finish = [&] {
        if (!have_id) {
            return;
        }
        if (!id.empty()) { // the header entry (msgid "") holds metadata only
            if (str.empty()) {
                throw IoError(m_file + ", line " + std::to_string(entry_line) + ": message '" + id + "' has no translation (msgstr is empty)");
            }
            if (!m_entries.emplace(id, str).second) {
                throw IoError(m_file + ", line " + std::to_string(entry_line) + ": message '" + id + "' is given twice");
            }
        }
        id.clear();
        str.clear();
        have_id = false;
        field = Field::none;
    };
    std::istringstream in{std::string(po_text)};
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const std::string where = m_file + ", line " + std::to_string(number);
        std::string_view l = line;
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) {
            l.remove_prefix(1);
        }
        if (l.empty() || l.front() == '#' || l == "\r") {
            continue;
        }
        const auto starts = [&](std::string_view p) { return l.substr(0, p.size()) == p; };
        if (starts("msgctxt ")) {
            finish();
            field = Field::ctxt;
            unquote(l.substr(8), where);
        } else if (starts("msgid_plural ") || starts("msgstr[")) {
            throw IoError(where + ": plural forms are not used by libcoverage's catalogues");
        } else if (starts("msgid ")) {
            if (field != Field::ctxt) {
                finish();
            }
            field = Field::id;
            have_id = true;
            entry_line = number;
            id = unquote(l.substr(6), where);
        } else if (starts("msgstr ")) {
            if (field != Field::id) {
                throw IoError(where + ": msgstr without a msgid before it");
            }
            field = Field::str;
            str = unquote(l.substr(7), where);
        } else if (l.front() == '"') {
            const std::string more = unquote(l, where);
            if (field == Field::id) {
                id += more;
            } else if (field == Field::str) {
                str += more;
            } else if (field != Field::ctxt) {
                throw IoError(where + ": a continued string outside an entry");
            }
        } else {
            throw IoError(where + ": expected msgid, msgstr, a quoted string or a # comment");
        }
    }
    finish();
    const auto separator = [&](const char* key) {
        const std::string& s = text(key);
        if (s.size() != 1) {
            throw IoError(m_file + ": '" + key + "' must be one character, not '" + s + "'");
        }
        return s.front();
    };
    m_decimal = separator("format.decimal_separator");
    m_group = separator("format.group_separator");
}

const Messages& Messages::of(const std::string& language) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<Messages>> loaded;
    const std::lock_guard lock(mutex);
    if (const auto it = loaded.find(language); it != loaded.end()) {
        return *it->second;
    }
    const std::vector<std::string>& known = report_languages();
    if (std::find(known.begin(), known.end(), language) == known.end()) {
        std::string list;
        for (const auto& k : known) {
            list += (list.empty() ? "" : ", ") + k;
        }
        throw InvalidArgument("language '" + language + "': there is no catalogue for it (languages: " + list + ")");
    }
    const std::string path = (fs::path(resource_dir()) / "i18n" / (language + ".po")).string();
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        throw IoError("message catalogue '" + path + "' cannot be read: " + system_error_text(errno));
    }
    std::ostringstream text;
    text << f.rdbuf();
    auto m = std::make_unique<Messages>(language, path, text.str());
    return *loaded.emplace(language, std::move(m)).first->second;
}

const std::string& Messages::text(std::string_view key) const {
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) {
        throw InvalidArgument("message catalogue '" + m_file + "' lacks the message '" + std::string(key) + "'");
    }
    return it->second;
}

namespace {

std::string substitute(const Messages& m, std::string_view key, std::initializer_list<MessageArg> args, bool escape) {
    const std::string& t = m.text(key);
    std::string out;
    out.reserve(t.size() + 32);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '{') {
            out += t[i];
            continue;
        }
        const std::size_t close = t.find('}', i);
        if (close == std::string::npos) {
            throw InvalidArgument("message '" + std::string(key) + "' in '" + m.file() + "': '{' without '}'");
        }
        const std::string_view name = std::string_view(t).substr(i + 1, close - i - 1);
        const MessageArg* arg = nullptr;
        for (const MessageArg& a : args) {
            if (a.first == name) {
                arg = &a;
            }
        }
        if (arg == nullptr) {
            throw InvalidArgument("message '" + std::string(key) + "' in '" + m.file() + "' uses {" + std::string(name) +
                                  "}, which the program does not give");
        }
        out += escape ? html_escape(arg->second) : arg->second;
        i = close;
    }
    return out;
}

} // namespace

std::string Messages::format(std::string_view key, std::initializer_list<MessageArg> args) const {
    return substitute(*this, key, args, false);
}

std::string Messages::html(std::string_view key, std::initializer_list<MessageArg> args) const {
    return substitute(*this, key, args, true);
}

std::string Messages::number(double value, int decimals) const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    std::string digits = buf;
    if (digits[0] == '-' && digits.find_first_not_of("-0.") == std::string::npos) {
        digits.erase(0, 1); // no "-0"
    }
    const std::size_t point = digits.find('.');
    const std::string whole = digits.substr(0, point);
    const std::size_t first = whole[0] == '-' ? 1 : 0;
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        out += whole[i];
        const std::size_t remaining = whole.size() - 1 - i;
        if (i >= first && remaining > 0 && remaining % 3 == 0) {
            out += m_group;
        }
    }
    if (point != std::string::npos) {
        out += m_decimal;
        out += digits.substr(point + 1);
    }
    return out;
}

std::string Messages::percent(double value, int decimals) const {
    return format("format.percent", {{"value", number(value, decimals)}});
}

std::string Messages::money_usd(double usd) const {
    return format("format.money_usd", {{"amount", number(std::round(usd), 0)}});
}

std::string Messages::distance(double metres) const {
    if (metres < 1000.0) {
        return format("format.distance_m", {{"value", number(metres, 0)}});
    }
    return format("format.distance_km", {{"value", number(metres / 1000.0, 1)}});
}

std::string Messages::date_time(std::string_view iso) const {
    // YYYY-MM-DDTHH:MM:SSZ
    if (iso.size() < 16 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':') {
        return std::string(iso);
    }
    return format("format.date_time", {{"year", std::string(iso.substr(0, 4))}, {"month", std::string(iso.substr(5, 2))},
                                       {"day", std::string(iso.substr(8, 2))}, {"hour", std::string(iso.substr(11, 2))},
                                       {"minute", std::string(iso.substr(14, 2))}});
}

} // namespace coverage::detail

namespace coverage {

std::vector<std::string> message_languages() { return detail::report_languages(); }

std::map<std::string, std::string> message_catalogue(const std::string& language) {
    const auto& entries = detail::Messages::of(language).entries();
    return {entries.begin(), entries.end()};
}

} // namespace coverage
