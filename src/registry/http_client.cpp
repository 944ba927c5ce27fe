#include "registry/http_client.hpp"

#include <curl/curl.h>

#include <cstdlib>

namespace mib::registry {
namespace {

CURL* handle(void* p) {
  return static_cast<CURL*>(p);
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

errc code_of(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return errc::timed_out;
    case CURLE_COULDNT_RESOLVE_HOST: return errc::resolve;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION: return errc::ssl;
    default: return errc::transport;
  }
}

}  // namespace

HttpClient::HttpClient(std::chrono::milliseconds timeout, std::string user, std::string password)
    : timeout_(timeout), user_(std::move(user)), password_(std::move(password)) {
  static std::once_flag global;
  std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (curl_ == nullptr)
    throw Exception{Error{errc::fatal, "schema registry: curl_easy_init failed"}};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/vnd.schemaregistry.v1+json");
  headers = curl_slist_append(headers,
                              "Accept: application/vnd.schemaregistry.v1+json, application/json");
  headers_ = headers;
  // A proxy from the environment is for the outside world: a registry on this machine is
  // reached directly, as curl's own no_proxy would say if it listed loopback.
  for (const char* name : {"NO_PROXY", "no_proxy"}) {
    if (const char* given = std::getenv(name); given != nullptr && *given != '\0') {
      no_proxy_ = std::string{given} + ",";
      break;
    }
  }
  no_proxy_ += "localhost,127.0.0.1,::1";
}

HttpClient::~HttpClient() {
  curl_slist_free_all(static_cast<curl_slist*>(headers_));
  curl_easy_cleanup(handle(curl_));
}

Error HttpClient::request(std::string_view method, const std::string& url, std::string_view body,
                          HttpResponse& response) {
  const std::lock_guard lock{mutex_};
  CURL* c = handle(curl_);
  curl_easy_reset(c);
  response = {};
  char problem[CURL_ERROR_SIZE] = {};
  const std::string verb{method};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, verb.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(headers_));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, safe in threads
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, problem);
  curl_easy_setopt(c, CURLOPT_NOPROXY, no_proxy_.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  if (!body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  if (!user_.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, user_.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
  }
  const CURLcode result = curl_easy_perform(c);
  if (result != CURLE_OK) {
    std::string why = problem[0] != '\0' ? problem : curl_easy_strerror(result);
    return Error{code_of(result), why,
                 result == CURLE_OPERATION_TIMEDOUT || result == CURLE_COULDNT_CONNECT};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return {};
}

std::string HttpClient::escape(std::string_view text) {
  const std::lock_guard lock{mutex_};
  char* escaped = curl_easy_escape(handle(curl_), text.data(), static_cast<int>(text.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

}  // namespace mib::registry
