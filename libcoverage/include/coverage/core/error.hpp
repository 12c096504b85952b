#ifndef COVERAGE_ERROR_HPP
#define COVERAGE_ERROR_HPP

#include <stdexcept>
#include <string>

namespace coverage {

/** Base of every exception the library throws. The message names the file, row/feature and field. */
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

/** A caller-supplied value is malformed or inconsistent (negative height, bad CSV row, ...). */
class InvalidArgument : public Error {
public:
    explicit InvalidArgument(const std::string& what) : Error(what) {}
};

/** Reading or writing a file failed; carries the GDAL/PROJ/OS message. */
class IoError : public Error {
public:
    explicit IoError(const std::string& what) : Error(what) {}
};

/** A value is well formed but outside the domain a model or the data covers
 *  (frequency outside a model's range, a point off the DEM, a void under a point). */
class OutOfDomain : public Error {
public:
    explicit OutOfDomain(const std::string& what) : Error(what) {}
};

/** A ProgressFn returned false: the computation stopped and wrote nothing. */
class Cancelled : public Error {
public:
    explicit Cancelled(const std::string& what = "cancelled") : Error(what) {}
};

} // namespace coverage

#endif // COVERAGE_ERROR_HPP
