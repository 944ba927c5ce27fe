// Internal: HTTP requests over libcurl, for the schema registry client. libcurl because it
// is the maintained, everywhere-packaged client with TLS, basic auth, proxies and
// timeouts that the registry's users expect to configure.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "mib/error.hpp"

namespace mib::registry {

struct HttpResponse {
  long status = 0;
  std::string body;
};

class HttpClient {
 public:
  // `user` empty: no authentication.
  HttpClient(std::chrono::milliseconds timeout, std::string user, std::string password);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request with a JSON body (empty: none). An answer of any status is returned; a
  // request that got none (refused, unknown host, timed out) is an Error saying why.
  Error request(std::string_view method, const std::string& url, std::string_view body,
                HttpResponse& response);

  // `text` escaped for a URL path segment.
  std::string escape(std::string_view text);

 private:
  std::mutex mutex_;  // one request at a time on the one handle (it keeps the connection)
  void* curl_ = nullptr;
  void* headers_ = nullptr;
  std::chrono::milliseconds timeout_;
  std::string user_, password_;
  std::string no_proxy_;
};

}  // namespace mib::registry
