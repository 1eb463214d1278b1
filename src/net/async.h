#pragma once
/// The small Asio surface that async APIs expose: an executor and awaitable<T>. This header pulls
/// in only awaitable.hpp and any_io_executor.hpp (about 1 s of compile time), never Beast.

#include <utility>  // Boost 1.74's awaitable.hpp misses it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace atiende::net {

/// The executor coroutines run on (the HTTP server's io_context, or a private one).
using Executor = boost::asio::any_io_executor;

/// A C++20 coroutine result, co_awaited from another Awaitable running on an Asio executor.
template <typename T>
using Awaitable = boost::asio::awaitable<T>;

}  // namespace atiende::net
