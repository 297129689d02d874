#include "server/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

namespace headroom::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kBodyLimit = 512 * 1024;  // received bytes; decoded limits come later
constexpr auto kReadTimeout = std::chrono::seconds(60);

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Router& router, SessionState& state)
      : stream_(std::move(socket)), router_(router), state_(state) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(kReadTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return Send(JsonError(413, "body: larger than 500 KB"), false);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof)
      return Close();
    // A malformed request line or header: answer once, then close.
    keep_alive_ = false;
    Send(JsonError(400, "request: malformed HTTP (" + ec.message() + ")"), false);
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    http::request<http::string_body> req = parser_->release();
    keep_alive_ = req.keep_alive();
    HttpRequest hr;
    hr.method = std::string(req.method_string());
    SplitTarget(std::string_view(req.target().data(), req.target().size()), hr.path, hr.query,
                &hr.query_list);
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      hr.headers[name] = std::string(field.value());
    }
    hr.body = std::move(req.body());
    head_ = hr.method == "HEAD";
    state_.in_flight++;
    counted_ = true;
    stream_.expires_never();
    auto self = shared_from_this();
    router_.Handle(hr, [self](HttpResponse response) {
      asio::post(self->stream_.get_executor(),
                 [self, r = std::move(response)]() mutable { self->Send(std::move(r), true); });
    });
  }

  void Send(HttpResponse r, bool counted) {
    counted_ = counted;
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::server, "headroom");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->body() = std::move(r.body);
    if (state_.stopping) keep_alive_ = false;
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    if (head_) res->body().clear();
    stream_.expires_after(kReadTimeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (self->counted_) {
                          self->state_.in_flight--;
                          self->counted_ = false;
                        }
                        if (ec || !self->keep_alive_) return self->Close();
                        self->ReadHeader();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Router& router_;
  SessionState& state_;
  bool keep_alive_ = true;
  bool head_ = false;
  bool counted_ = false;
};

}  // namespace

Listener::Listener(asio::io_context& ioc, tcp::endpoint endpoint, const Router& router,
                   SessionState& state)
    : ioc_(ioc), acceptor_(asio::make_strand(ioc)), router_(router), state_(state) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Listener::Start() { Accept(); }

void Listener::Close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec,
                                                                              tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    } else {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket), self->router_, self->state_)->Start();
    }
    self->Accept();
  });
}

}  // namespace headroom::server
