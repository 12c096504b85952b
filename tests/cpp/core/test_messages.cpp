// Message catalogues: the .po reader, the languages' number and date formats, and that every word the program and
// the report template use is in every catalogue.
#include <coverage/core/error.hpp>

#include "core/messages.hpp"
#include "support/test_paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace coverage;
using coverage::detail::Messages;
namespace fs = std::filesystem;

namespace {

const char* const header = "msgid \"\"\nmsgstr \"\"\n\"Language: xx\\n\"\n\n"
                           "msgid \"format.decimal_separator\"\nmsgstr \".\"\n"
                           "msgid \"format.group_separator\"\nmsgstr \",\"\n";

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("A .po catalogue: entries, continued strings, escapes, comments", "[messages]") {
    const Messages m("xx", "test.po",
                     std::string(header) + "# a comment\n#. for the translator\nmsgid \"a.b\"\nmsgstr \"\"\n\"one \"\n\"two\"\n\n"
                                           "msgid \"quote\"\nmsgstr \"say \\\"hi\\\"\\tand\\\\\\n\"\n"
                                           "msgid \"args\"\nmsgstr \"{n} of {total} <b>{name}</b>\"\n");
    CHECK(m.text("a.b") == "one two");
    CHECK(m.text("quote") == "say \"hi\"\tand\\\n");
    CHECK(m.format("args", {{"n", "3"}, {"total", "9"}, {"name", "Bản Chấu"}}) == "3 of 9 <b>Bản Chấu</b>");
    CHECK(m.html("args", {{"n", "3"}, {"total", "9"}, {"name", "<x> & y"}}) == "3 of 9 <b>&lt;x&gt; &amp; y</b>");
    CHECK_THROWS_WITH(m.text("nope"), Catch::Contains("test.po") && Catch::Contains("lacks the message 'nope'"));
    CHECK_THROWS_WITH(m.format("args", {{"n", "3"}}), Catch::Contains("uses {total}"));
}

TEST_CASE("A malformed catalogue is refused with its file and line", "[messages]") {
    const auto bad = [](const std::string& body) { return Messages("xx", "bad.po", std::string(header) + body); };
    CHECK_THROWS_WITH(bad("msgid \"a\"\nmsgstr \"x\n"), Catch::Contains("bad.po, line 10") && Catch::Contains("quoted string"));
    CHECK_THROWS_WITH(bad("msgid \"a\"\nmsgstr \"\"\n"), Catch::Contains("bad.po, line 9") && Catch::Contains("no translation"));
    CHECK_THROWS_WITH(bad("msgid \"a\"\nmsgstr \"x\"\nmsgid \"a\"\nmsgstr \"y\"\n"), Catch::Contains("line 11") && Catch::Contains("given twice"));
    CHECK_THROWS_WITH(bad("msgstr \"x\"\n"), Catch::Contains("line 9") && Catch::Contains("msgstr without a msgid"));
    CHECK_THROWS_WITH(bad("msgid \"a\"\nmsgstr \"\\q\"\n"), Catch::Contains("unknown escape"));
    CHECK_THROWS_WITH(bad("bogus\n"), Catch::Contains("line 9"));
    CHECK_THROWS_WITH(Messages("xx", "nosep.po", "msgid \"x\"\nmsgstr \"y\"\n"), Catch::Contains("format.decimal_separator"));
    CHECK_THROWS_AS(Messages::of("fr"), InvalidArgument);
    CHECK_THROWS_WITH(Messages::of("fr"), Catch::Contains("language 'fr'") && Catch::Contains("vi, en"));
}

TEST_CASE("Numbers, money, distances and dates as each language writes them", "[messages]") {
    const Messages& en = Messages::of("en");
    const Messages& vi = Messages::of("vi");
    CHECK(en.number(1234.5, 1) == "1,234.5");
    CHECK(vi.number(1234.5, 1) == "1.234,5");
    CHECK(en.number(-1234567.0) == "-1,234,567");
    CHECK(vi.number(-1234567.0) == "-1.234.567");
    CHECK(en.number(-0.4) == "0");
    CHECK(vi.number(999.0) == "999");
    CHECK(en.money_usd(481715.4) == "USD 481,715");
    CHECK(vi.money_usd(481715.4) == "481.715 USD");
    CHECK(en.percent(94.6, 1) == "94.6 %");
    CHECK(vi.percent(94.6, 1) == "94,6%");
    CHECK(en.distance(350.0) == "350 m");
    CHECK(vi.distance(4300.0) == "4,3 km");
    CHECK(vi.date_time("2026-12-07T02:24:05Z") == "07/12/2026 02:24 UTC");
    CHECK(en.date_time("2026-12-07T02:24:05Z") == "2026-12-07 02:24 UTC");
    CHECK(vi.text("class.no_service") == "không có sóng");
}

TEST_CASE("Every catalogue has every word the program and the report template use", "[messages]") {
    const fs::path src = fs::path(test::source_dir) / "libcoverage";
    std::set<std::string> used;
    // The template's words: {{t.key}}, {{{t.key}}}, {{#t.key}}.
    const std::string tmpl = slurp(src / "resources" / "templates" / "report.html.mustache");
    const std::regex tag(R"(\{\{\{?[#^/&]?\s*t\.([a-z0-9_.]+))");
    for (auto it = std::sregex_iterator(tmpl.begin(), tmpl.end(), tag); it != std::sregex_iterator(); ++it) {
        used.insert((*it)[1].str());
    }
    const std::size_t in_template = used.size();
    CHECK(in_template > 80);
    // The program's (C++ and the Python package): every string literal shaped like a catalogue key of the families
    // the catalogues hold.
    const std::regex key(R"re(["']((?:report|map|imap|chart|reason|plan|class|class_name|word|format|glossary|language|province|cli)\.[a-z0-9_.]+)["'])re");
    std::vector<fs::path> sources;
    for (const fs::path& dir : {src / "src", fs::path(test::source_dir) / "python" / "libcoverage", fs::path(test::source_dir) / "tools"}) {
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            if (entry.path().extension() == ".cpp" || entry.path().extension() == ".py") {
                sources.push_back(entry.path());
            }
        }
    }
    CHECK(sources.size() > 40);
    for (const fs::path& file : sources) {
        const std::string code = slurp(file);
        for (auto it = std::sregex_iterator(code.begin(), code.end(), key); it != std::sregex_iterator(); ++it) {
            const std::string k = (*it)[1].str();
            // Not words: file names (plan.csv, report.html.mustache) and the study file's own [report] keys.
            if (!std::regex_search(k, std::regex(R"(\.(csv|geojson|html|mustache|png|pdf|svg|json|tif|kmz|toml|po)$)")) &&
                k.rfind("report.language", 0) != 0 && k.rfind("report.setting_steps", 0) != 0 && k.rfind("report.print_maps", 0) != 0) {
                used.insert(k);
            }
        }
    }
    CHECK(used.size() > in_template + 60);
    std::set<std::string> first_keys;
    for (const std::string& language : detail::report_languages()) {
        const Messages& m = Messages::of(language);
        for (const std::string& k : used) {
            INFO("catalogue " << m.file() << ", key " << k);
            CHECK(m.has(k));
        }
        std::set<std::string> keys;
        for (const auto& [k, text] : m.entries()) {
            keys.insert(k);
        }
        if (first_keys.empty()) {
            first_keys = keys;
        } else {
            INFO("the catalogues of " << detail::report_languages().front() << " and " << language << " hold different keys");
            CHECK(keys == first_keys);
        }
    }
}
