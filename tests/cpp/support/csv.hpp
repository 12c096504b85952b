// Minimal reader for CSV files (reference data, outputs): a header row, comma separated, RFC 4180 quotes.
#ifndef COVERAGE_TEST_CSV_HPP
#define COVERAGE_TEST_CSV_HPP

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace coverage::test {

struct CsvRow {
    std::map<std::string, std::string> cells;
    int line = 0;
    [[nodiscard]] const std::string& str(const std::string& column) const {
        const auto it = cells.find(column);
        if (it == cells.end()) {
            throw std::runtime_error("CSV line " + std::to_string(line) + " has no column '" + column + "'");
        }
        return it->second;
    }
    [[nodiscard]] double num(const std::string& column) const { return std::stod(str(column)); }
    [[nodiscard]] int integer(const std::string& column) const { return static_cast<int>(std::lround(num(column))); }
};

// One line split at commas; a field in double quotes may hold commas, and "" stands for a quote (RFC 4180).
inline std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.push_back(cell);
            cell.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    out.push_back(cell);
    return out;
}

inline std::vector<CsvRow> read_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> header = split(line);
    std::vector<CsvRow> rows;
    int n = 1;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty()) {
            continue;
        }
        const std::vector<std::string> cells = split(line);
        CsvRow row;
        row.line = n;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) {
            row.cells[header[i]] = cells[i];
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

/** Rows of numbers without a header (PFL files: one profile per line). */
inline std::vector<std::vector<double>> read_number_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    std::vector<std::vector<double>> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            continue;
        }
        std::vector<double> v;
        for (const auto& c : split(line)) {
            if (!c.empty()) {
                v.push_back(std::stod(c));
            }
        }
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace coverage::test

#endif
