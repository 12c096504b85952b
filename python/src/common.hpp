// Shared pieces of the pybind11 module libcoverage._core: long computations run off the interpreter's thread
// with progress and Ctrl-C handled on it; rasters exposed to numpy without a copy.
#ifndef LIBCOVERAGE_PY_COMMON_HPP
#define LIBCOVERAGE_PY_COMMON_HPP

#include <coverage/core/progress.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/radio/signal_class.hpp>
#include <coverage/radio/technology.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

namespace libcoverage_py {

namespace py = pybind11;

void bind_terrain(py::module_& m);
void bind_models(py::module_& m);
void bind_coverage(py::module_& m);
void bind_analysis(py::module_& m);
void bind_planning(py::module_& m);
void bind_study(py::module_& m);

/** The `progress` argument of a long call made callable: None/False → None, True → a tqdm bar
 *  (libcoverage._progress.TqdmProgress), anything else must be callable as f(fraction, message). */
[[nodiscard]] py::object progress_callable(const py::object& progress, const char* description);

/** Call `obj.close()` when it has one (a tqdm bar), ignoring errors from it. */
void close_progress(const py::object& obj) noexcept;

/**
 * Run `work(progress_fn)` on its own thread with the GIL released, while this (the interpreter's) thread waits
 * and, every 100 ms, passes the latest progress to the Python callable and checks for signals. A pending
 * KeyboardInterrupt, an exception raised by the callable, or the callable returning False cancels the work
 * (the C++ side stops at its next progress report); a KeyboardInterrupt or callable exception is then raised
 * again here, a False return arrives as libcoverage.Cancelled. Python code is only ever run on this thread.
 */
template <typename F>
auto run_interruptible(const py::object& progress, const char* description, F&& work)
    -> std::invoke_result_t<F&, const coverage::ProgressFn&> {
    using Result = std::invoke_result_t<F&, const coverage::ProgressFn&>;
    struct Channel {
        std::mutex mutex;
        std::condition_variable wake;
        bool done = false;
        bool fresh = false;
        double fraction = 0.0;
        std::string message;
        std::atomic<bool> cancel{false};
    };
    auto channel = std::make_shared<Channel>();
    const coverage::ProgressFn fn = [channel](double fraction, std::string_view message) {
        {
            std::lock_guard lock(channel->mutex);
            channel->fraction = fraction;
            channel->message.assign(message);
            channel->fresh = true;
        }
        return !channel->cancel.load();
    };
    const py::object callback = progress_callable(progress, description);

    std::optional<Result> result;
    std::exception_ptr failure;
    std::thread worker([&] {
        try {
            result.emplace(work(fn));
        } catch (...) {
            failure = std::current_exception();
        }
        {
            std::lock_guard lock(channel->mutex);
            channel->done = true;
        }
        channel->wake.notify_all();
    });
    struct Joiner { // never leave the worker running, whatever happens here
        std::thread& thread;
        Channel& channel;
        ~Joiner() {
            if (thread.joinable()) {
                channel.cancel = true;
                py::gil_scoped_release nogil;
                thread.join();
            }
        }
    } joiner{worker, *channel};

    std::optional<py::error_already_set> pending;
    for (bool done = false; !done;) {
        bool fresh = false;
        double fraction = 0.0;
        std::string message;
        {
            py::gil_scoped_release nogil;
            std::unique_lock lock(channel->mutex);
            channel->wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return channel->done; });
            done = channel->done;
            fresh = std::exchange(channel->fresh, false);
            fraction = channel->fraction;
            message = channel->message;
        }
        if (pending) {
            continue;
        }
        try {
            if (PyErr_CheckSignals() != 0) {
                throw py::error_already_set();
            }
            if (fresh && !callback.is_none()) {
                const py::object answer = callback(fraction, message);
                if (!answer.is_none() && !answer.cast<bool>()) {
                    channel->cancel = true;
                }
            }
        } catch (py::error_already_set& e) {
            pending.emplace(std::move(e));
            channel->cancel = true;
        }
    }
    {
        py::gil_scoped_release nogil;
        worker.join();
    }
    close_progress(callback);
    if (pending) {
        throw std::move(*pending);
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    return std::move(*result);
}

/** (xorig, xscale, xrot, yorig, yrot, yscale) in GDAL's order. */
[[nodiscard]] py::tuple geo_transform_tuple(const coverage::GeoTransform& gt);
[[nodiscard]] coverage::GeoTransform geo_transform_from(const py::sequence& values);

/** A numpy view of a raster's values, shape (height, width), that keeps `owner` alive. */
template <typename T>
[[nodiscard]] py::array_t<T> raster_view(coverage::Raster<T>& r, const py::handle& owner) {
    return py::array_t<T>({static_cast<py::ssize_t>(r.height()), static_cast<py::ssize_t>(r.width())},
                          {static_cast<py::ssize_t>(sizeof(T)) * r.width(), static_cast<py::ssize_t>(sizeof(T))}, r.data(),
                          owner);
}

/** A Python list of the rasters in `v`, each a reference into `owner` (kept alive by them). */
template <typename T>
[[nodiscard]] py::list raster_list(std::vector<coverage::Raster<T>>& v, const py::handle& owner) {
    py::list out;
    for (auto& r : v) {
        out.append(py::cast(&r, py::return_value_policy::reference_internal, owner));
    }
    return out;
}

/**
 * On a class with a `thresholds` member (TechnologyThresholds), one property per row of the technology table:
 * lte_thresholds, umts_thresholds, nr_thresholds, ... (a further technology gets its property without code here).
 */
template <typename T, typename... Extra>
void bind_per_technology_thresholds(py::class_<T, Extra...>& cls) {
    for (const coverage::TechnologyTraits& tr : coverage::technology_table) {
        const coverage::Technology technology = tr.technology;
        const std::string name = std::string(tr.key) + "_thresholds";
        const std::string doc = std::string("Class thresholds of ") + tr.generation + " (" + tr.measure + "), dBm.";
        cls.def_property(
            name.c_str(), [technology](const T& o) { return o.thresholds[technology]; },
            [technology](T& o, const coverage::SignalThresholds& v) { o.thresholds[technology] = v; }, doc.c_str());
    }
}

} // namespace libcoverage_py

#endif // LIBCOVERAGE_PY_COMMON_HPP
