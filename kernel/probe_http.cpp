#include "kernel/probe_http.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "kernel/probe_stream.hpp"

namespace ka::kern {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// A body larger than this is a failure, not a memory hazard (keepalived hashes any size;
// health pages are small).
constexpr std::uint64_t body_limit = 16 * 1024 * 1024;

std::string md5_hex(const std::string& body) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(body.data(), body.size(), out, &n, EVP_md5(), nullptr) != 1) return "md5-failed";
  return proto::to_hex(out, n);
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

struct http_session : std::enable_shared_from_this<http_session> {
  http_session(probe_engine& e, const http_probe_spec& s, probe_callback cb)
      : eng(e), spec(s), run(e, s.target, std::move(cb)) {}
  probe_engine& eng;
  http_probe_spec spec;
  probe_run run;
  std::size_t url = 0;                 // the url being checked
  const char* step = "connecting";
  std::optional<tcp::socket> sock;     // plain HTTP
  std::optional<ssl::stream<tcp::socket>> tls;
  boost::beast::flat_buffer buf;
  http::request<http::empty_body> req;
  std::optional<http::response_parser<http::string_body>> parser;
  std::string note;                    // said with a success (an unverified certificate)

  tcp::socket& lowest() { return tls ? tls->next_layer() : *sock; }

  void start() {
    run.arm([self = shared_from_this()] {
      self->run.finish(false, timeout_reason(self->spec.target.timeout, self->step) + self->where());
      self->close();
    });
    next_url();
  }

  std::string where() const {
    return spec.urls.size() > 1 ? " (url " + spec.urls[url].path + ")" : std::string();
  }

  void close() {
    boost::system::error_code ignored;
    if (tls || sock) lowest().close(ignored);
  }

  void fail(std::string reason) {
    run.finish(false, reason + where());
    close();
  }

  void next_url() {
    if (url == spec.urls.size()) {
      std::string what = spec.urls.size() == 1 ? "HTTP " + std::to_string(last_status)
                                               : std::to_string(spec.urls.size()) + " urls passed";
      return run.finish(true, note.empty() ? what : what + "; " + note);
    }
    close();
    tls.reset();
    sock.reset();
    buf.clear();
    if (spec.tls) tls.emplace(run.ex(), *spec.tls);
    else sock.emplace(run.ex());
    if (auto err = prepare_tcp_socket(lowest(), spec.target); !err.empty()) return fail(err);
    step = "connecting";
    lowest().async_connect(tcp_endpoint(spec.target.addr, spec.target.port),
                           asio::bind_executor(run.ex(), [self = shared_from_this()](auto ec) {
                             if (self->run.done()) return;
                             if (ec) return self->fail(error_reason("connect", ec));
                             self->connected();
                           }));
  }

  std::string host() const {
    return proto::http_host_header(spec.urls[url].virtualhost, spec.target.addr.to_string(),
                                   !spec.target.addr.is_v4(), spec.target.port, spec.tls != nullptr);
  }

  void connected() {
    if (!tls) return send_request();
    const auto& vh = spec.urls[url].virtualhost;
    if (spec.enable_sni && !vh.empty() && !is_ip_literal(vh))
      SSL_set_tlsext_host_name(tls->native_handle(), vh.c_str());
    step = "TLS handshake";
    tls->async_handshake(ssl::stream_base::client,
                         asio::bind_executor(run.ex(), [self = shared_from_this()](auto ec) {
                           if (self->run.done()) return;
                           if (ec) return self->fail(error_reason("TLS handshake", ec));
                           long v = SSL_get_verify_result(self->tls->native_handle());
                           if (v != X509_V_OK)
                             self->note = std::string("certificate not verified: ") + X509_verify_cert_error_string(v);
                           self->send_request();
                         }));
  }

  void send_request() {
    req = {};
    req.method(http::verb::get);
    req.target(spec.urls[url].path.empty() ? "/" : spec.urls[url].path);
    req.version(spec.version == http_proto_version::v1_1 ? 11 : 10);
    req.set(http::field::user_agent, "KeepAliveClient");
    req.set(http::field::host, host());
    if (spec.version != http_proto_version::v1_0) req.set(http::field::connection, "close");
    step = "sending the request";
    auto done = asio::bind_executor(run.ex(), [self = shared_from_this()](auto ec, std::size_t) {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("write", ec));
      self->read_response();
    });
    if (tls) http::async_write(*tls, req, std::move(done));
    else http::async_write(*sock, req, std::move(done));
  }

  void read_response() {
    parser.emplace();
    parser->body_limit(body_limit);
    step = "reading the response";
    auto done = asio::bind_executor(run.ex(), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (self->run.done()) return;
      // A TLS server that closes without close_notify ends a body read to EOF this way.
      if (ec == ssl::error::stream_truncated && !self->parser->is_done()) {
        self->parser->put_eof(ec);
      }
      if (ec && !(ec == ssl::error::stream_truncated && self->parser->is_done()))
        return self->fail(error_reason("read", ec));
      self->judge();
    });
    if (tls) http::async_read(*tls, buf, *parser, std::move(done));
    else http::async_read(*sock, buf, *parser, std::move(done));
  }

  unsigned last_status = 0;

  void judge() {
    const auto& res = parser->get();
    last_status = res.result_int();
    const auto& expect = spec.urls[url].expect;
    std::string digest = expect.digest.empty() ? std::string() : md5_hex(res.body());
    auto why = proto::judge_http(expect, last_status, digest, res.body());
    if (!why.empty()) return fail(why);
    ++url;
    next_url();
  }
};

} // namespace

std::shared_ptr<ssl::context> make_tls_context(const tls_settings& s, std::string& error) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  // The result of verification is read after the handshake and said in the check's
  // reason; it does not fail the check (kernel/probe_http.cpp, README).
  ctx->set_verify_mode(ssl::verify_none, ec);
  if (!s.password.empty()) {
    auto pw = s.password;
    ctx->set_password_callback([pw](std::size_t, ssl::context::password_purpose) { return pw; }, ec);
  }
  if (!s.ca.empty()) {
    ctx->load_verify_file(s.ca, ec);
    if (ec) { error = "ca " + s.ca + ": " + ec.message(); return nullptr; }
  }
  if (!s.certificate.empty()) {
    ctx->use_certificate_chain_file(s.certificate, ec);
    if (ec) { error = "certificate " + s.certificate + ": " + ec.message(); return nullptr; }
  }
  if (!s.key.empty()) {
    ctx->use_private_key_file(s.key, ssl::context::pem, ec);
    if (ec) { error = "key " + s.key + ": " + ec.message(); return nullptr; }
  }
  return ctx;
}

void start_http_probe(probe_engine& e, const http_probe_spec& spec, probe_callback cb) {
  auto s = std::make_shared<http_session>(e, spec, std::move(cb));
  if (s->spec.urls.empty()) s->spec.urls.emplace_back();  // no url block: GET /
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
