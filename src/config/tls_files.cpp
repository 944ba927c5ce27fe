// The TLS files read with OpenSSL, the library librdkafka will read them with.
#include "config/tls_files.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "kafka/handle.hpp"
#include "kafka/x509_text.hpp"

namespace mib::config {
namespace {

// kafka::Owned serves any C object with a destroy function.
using Bio = kafka::Owned<BIO, BIO_free_all>;
using Certificate = kafka::Owned<X509, X509_free>;
using Key = kafka::Owned<EVP_PKEY, EVP_PKEY_free>;

bool readable(const std::string& file) {
  return !file.empty() && std::ifstream{file}.good();
}

// OpenSSL's reason for the last failure, then its queue emptied.
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason =
      code ? ERR_reason_error_string(code) ? ERR_reason_error_string(code) : "unknown reason"
           : "no PEM data";
  ERR_clear_error();
  return reason;
}

// The key's password, and whether OpenSSL asked for one (the key is encrypted).
struct PasswordRequest {
  const std::string* password;
  bool asked = false;
};

int give_password(char* buffer, int size, int, void* user) {
  auto* request = static_cast<PasswordRequest*>(user);
  request->asked = true;
  const std::string& password = *request->password;
  if (password.empty() || password.size() > static_cast<std::size_t>(size)) return 0;
  std::memcpy(buffer, password.data(), password.size());
  return static_cast<int>(password.size());
}

}  // namespace

std::vector<TlsFileIssue> check_tls_files(const SslConfig& ssl) {
  std::vector<TlsFileIssue> issues;
  // The first certificate of a PEM file; null (with a message) when there is none.
  const auto read_certificate = [&](const std::string& file, const char* path) {
    const Bio bio{BIO_new_file(file.c_str(), "r")};
    Certificate out{bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr};
    if (!out)
      issues.push_back({path, "holds no PEM certificate (OpenSSL: " + openssl_reason() + ")"});
    return out;
  };
  if (readable(ssl.ca_file)) read_certificate(ssl.ca_file, "security.ssl.ca_file");
  Certificate certificate;
  std::string subject;
  if (readable(ssl.cert_file)) {
    certificate = read_certificate(ssl.cert_file, "security.ssl.cert_file");
  }
  if (certificate) {
    subject = kafka::x509_name_text(X509_get_subject_name(certificate.get()));
    const ASN1_TIME* not_after = X509_get0_notAfter(certificate.get());
    const ASN1_TIME* not_before = X509_get0_notBefore(certificate.get());
    if (X509_cmp_current_time(not_after) < 0) {
      issues.push_back(
          {"security.ssl.cert_file", "the certificate of " + subject + " expired on " +
                                         kafka::x509_time_text(not_after) +
                                         "; brokers that check client certificates refuse it"});
    } else if (X509_cmp_current_time(not_before) > 0) {
      issues.push_back({"security.ssl.cert_file", "the certificate of " + subject +
                                                      " is not valid before " +
                                                      kafka::x509_time_text(not_before)});
    }
  }
  if (readable(ssl.key_file)) {
    const Bio bio{BIO_new_file(ssl.key_file.c_str(), "r")};
    PasswordRequest request{&ssl.key_password.reveal()};
    const Key key{bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, give_password, &request)
                      : nullptr};
    if (!key && request.asked && ssl.key_password.empty()) {
      ERR_clear_error();
      issues.push_back({"security.ssl.key_password",
                        "the key in " + ssl.key_file + " is encrypted: its password is needed"});
    } else if (!key && request.asked) {
      ERR_clear_error();
      issues.push_back({"security.ssl.key_password", "does not open the key in " + ssl.key_file});
    } else if (!key) {
      issues.push_back({"security.ssl.key_file",
                        "holds no PEM private key (OpenSSL: " + openssl_reason() + ")"});
    } else if (certificate && X509_check_private_key(certificate.get(), key.get()) != 1) {
      ERR_clear_error();
      issues.push_back({"security.ssl.key_file", "is not the key of the certificate in " +
                                                     ssl.cert_file + " (" + subject + ")"});
    }
  }
  return issues;
}

}  // namespace mib::config
