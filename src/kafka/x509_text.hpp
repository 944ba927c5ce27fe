// Internal: an X.509 certificate's names and dates as messages show them.
#pragma once

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <ctime>
#include <string>

namespace mib::kafka {

// "/CN=trader"
inline std::string x509_name_text(const X509_NAME* name) {
  char text[256];
  X509_NAME_oneline(name, text, sizeof text);
  return text;
}

// "2020-01-02T00:00:00Z"
inline std::string x509_time_text(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return "an unreadable date";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace mib::kafka
