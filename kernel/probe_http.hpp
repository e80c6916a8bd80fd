// HTTP_GET and SSL_GET: GET each url over HTTP (or HTTPS), one connection per url, in
// order; the server is up when every url passes (protocol/http_judge.hpp). The timeout
// bounds the whole probe. HTTP with Boost.Beast; TLS with Boost.Asio's OpenSSL streams.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kernel/probe.hpp"
#include "protocol/http_judge.hpp"

namespace boost::asio::ssl { class context; }

namespace ka::kern {

struct http_url_spec {
  std::string path = "/";
  std::string virtualhost;   // Host header (and SNI name); empty: the address
  proto::http_expect expect;
};

enum class http_proto_version : std::uint8_t { v1_0, v1_0c, v1_1 };  // 1.0, 1.0C, 1.1

struct http_probe_spec {
  probe_target target;
  std::vector<http_url_spec> urls;
  http_proto_version version = http_proto_version::v1_0;
  // SSL_GET: the TLS context (shared by every check of the checker); null for HTTP_GET.
  std::shared_ptr<boost::asio::ssl::context> tls;
  bool enable_sni = false;   // send the url's virtualhost as the server name
};

// The client context of SSL_GET from the global SSL block: ca (the CAs whose certificates
// are trusted; when set, the server's certificate must verify), certificate and key (our
// own, for servers that ask for one), password (the key's). Empty error: ok.
struct tls_settings {
  std::string ca, certificate, key, password;
};
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const tls_settings& s, std::string& error);

void start_http_probe(probe_engine& e, const http_probe_spec& spec, probe_callback cb);

} // namespace ka::kern
