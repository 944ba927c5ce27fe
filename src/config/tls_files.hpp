// What can be told about the client's TLS files before any connection: a certificate not
// valid now, a key its password does not open, a key that is not the certificate's. A
// broker would refuse each only with a TLS alert that names none of them.
#pragma once

#include <string>
#include <vector>

#include "mib/config/config.hpp"

namespace mib::config {

struct TlsFileIssue {
  std::string path;  // the setting at fault: "security.ssl.cert_file", ...
  std::string message;
};

// Reads the files `ssl` names (those that exist; missing ones are reported elsewhere).
std::vector<TlsFileIssue> check_tls_files(const SslConfig& ssl);

}  // namespace mib::config
