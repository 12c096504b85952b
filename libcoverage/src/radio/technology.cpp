// The technology table's look-ups by key.

#include <coverage/radio/technology.hpp>

#include <coverage/core/error.hpp>

#include <string>

namespace coverage {

Technology technology_from(const std::string& key) {
    for (const TechnologyTraits& t : technology_table) {
        if (key == t.key) {
            return t.technology;
        }
    }
    throw InvalidArgument("unknown technology '" + key + "' (" + technology_keys() + ")");
}

std::string technology_keys() {
    std::string keys;
    for (const TechnologyTraits& t : technology_table) {
        keys += std::string(keys.empty() ? "" : ", ") + t.key;
    }
    return keys;
}

} // namespace coverage
