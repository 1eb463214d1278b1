#pragma once
// A small synchronous HTTP/1.1 client for tests (Beast), with a timeout on every operation so a
// broken server fails the test instead of hanging it. Shared by tests/http and tests/e2e.

#include <utility>

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace atiende::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

/// One keep-alive connection to 127.0.0.1:port. Every call throws std::runtime_error on I/O
/// failure or timeout.
class TestClient {
 public:
  /// `receive_buffer_bytes` > 0 sets SO_RCVBUF before connecting (a slow reader fills the
  /// server's socket sooner).
  explicit TestClient(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(20),
                      int receive_buffer_bytes = 0)
      : stream_(ioc_), timeout_(timeout) {
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
    boost::system::error_code ec;
    if (receive_buffer_bytes > 0) {
      stream_.socket().open(boost::asio::ip::tcp::v4());
      stream_.socket().set_option(
          boost::asio::socket_base::receive_buffer_size(receive_buffer_bytes));
    }
    stream_.expires_after(timeout_);
    stream_.async_connect(endpoint, [&](boost::system::error_code e) { ec = e; });
    run();
    if (ec) throw std::runtime_error("connect: " + ec.message());
  }

  ClientResponse request(const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    send(method, target, body, headers);
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    boost::system::error_code ec;
    stream_.expires_after(timeout_);
    http::async_read(stream_, buffer_, parser, [&](boost::system::error_code e, size_t) { ec = e; });
    run();
    if (ec) throw std::runtime_error("read " + method + " " + target + ": " + ec.message());
    return convert(parser.get());
  }

  /// Sends a request without reading the response (for streams; then use read_header/read_some).
  void send(const std::string& method, const std::string& target, const std::string& body = "",
            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    if (req.method() == http::verb::unknown) req.method_string(method);
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
    boost::system::error_code ec;
    stream_.expires_after(timeout_);
    http::async_write(stream_, req, [&](boost::system::error_code e, size_t) { ec = e; });
    run();
    if (ec) throw std::runtime_error("write: " + ec.message());
  }

  /// Writes raw bytes (malformed requests).
  void send_raw(const std::string& bytes) {
    boost::system::error_code ec;
    stream_.expires_after(timeout_);
    boost::asio::async_write(stream_, boost::asio::buffer(bytes),
                             [&](boost::system::error_code e, size_t) { ec = e; });
    run();
    if (ec) throw std::runtime_error("write: " + ec.message());
  }

  /// Starts reading a (streamed) response: reads the header.
  ClientResponse read_header() {
    namespace http = boost::beast::http;
    stream_parser_.emplace();
    stream_parser_->body_limit(256u << 20);
    boost::system::error_code ec;
    stream_.expires_after(timeout_);
    http::async_read_header(stream_, buffer_, *stream_parser_,
                            [&](boost::system::error_code e, size_t) { ec = e; });
    run();
    if (ec) throw std::runtime_error("read header: " + ec.message());
    consumed_ = 0;
    return convert(stream_parser_->get());
  }

  /// Reads body bytes until `needle` appears in the body received since the last call (or the
  /// stream ends). Returns that new body text. Throws on timeout.
  std::string read_until(const std::string& needle) {
    namespace http = boost::beast::http;
    while (true) {
      const std::string& body = stream_parser_->get().body();
      if (body.find(needle, consumed_) != std::string::npos || stream_parser_->is_done()) {
        std::string fresh = body.substr(consumed_);
        consumed_ = body.size();
        return fresh;
      }
      boost::system::error_code ec;
      stream_.expires_after(timeout_);
      http::async_read_some(stream_, buffer_, *stream_parser_,
                            [&](boost::system::error_code e, size_t) { ec = e; });
      run();
      if (ec == http::error::end_of_stream || ec == boost::asio::error::eof) {
        std::string fresh = stream_parser_->get().body().substr(consumed_);
        consumed_ = stream_parser_->get().body().size();
        return fresh;
      }
      if (ec) throw std::runtime_error("read body: " + ec.message());
    }
  }

  bool stream_done() const { return stream_parser_ && stream_parser_->is_done(); }

  /// Reads raw bytes until `needle` is among them (or the peer closes); returns all read.
  std::string read_raw_until(const std::string& needle) {
    std::string out;
    char data[4096];
    while (out.find(needle) == std::string::npos) {
      boost::system::error_code ec;
      size_t n = 0;
      stream_.expires_after(timeout_);
      stream_.async_read_some(boost::asio::buffer(data), [&](boost::system::error_code e, size_t k) {
        ec = e;
        n = k;
      });
      run();
      out.append(data, n);
      if (ec) break;
    }
    return out;
  }

  /// Reads whatever arrives until the peer closes; returns it raw (for malformed-request tests).
  std::string read_raw_until_close() {
    std::string out;
    char data[4096];
    while (true) {
      boost::system::error_code ec;
      size_t n = 0;
      stream_.expires_after(timeout_);
      stream_.async_read_some(boost::asio::buffer(data), [&](boost::system::error_code e, size_t k) {
        ec = e;
        n = k;
      });
      run();
      out.append(data, n);
      if (ec) return out;
    }
  }

  void close() {
    boost::system::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  template <typename Message>
  static ClientResponse convert(const Message& message) {
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      response.headers[name] = std::string(field.value());
    }
    response.body = message.body();
    return response;
  }

  void run() {
    ioc_.restart();
    ioc_.run();
  }

  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>>
      stream_parser_;
  size_t consumed_ = 0;
};

/// One request on a fresh connection.
inline ClientResponse http_request(uint16_t port, const std::string& method,
                                   const std::string& target, const std::string& body = "",
                                   const std::vector<std::pair<std::string, std::string>>& headers =
                                       {}) {
  TestClient client(port);
  return client.request(method, target, body, headers);
}

}  // namespace atiende::testing
