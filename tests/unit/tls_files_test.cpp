// Config::validate() reads the client's TLS files: an expired certificate, a key whose
// password is missing or wrong, a key of another certificate are named by setting, before
// any connection. The files are made with the openssl command, as a user makes them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "mib/config/config.hpp"
#include "support/test_cluster.hpp"

namespace {

class TlsFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = std::filesystem::temp_directory_path() / mib::test::unique_name("mib-tls");
    std::filesystem::create_directories(dir);
    const std::string d = dir.string();
    const auto run = mib::test::run_command(
        "set -e; exec 2>&1; cd " + d +
        "; key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $1; }"
        "; key good.key; openssl req -x509 -new -key good.key -out good.pem -days 30 -subj /CN=good"
        "; key other.key"
        "; openssl pkcs8 -topk8 -in good.key -v2 aes-256-cbc -passout pass:key-secret"
        " -out protected.key"
        "; mkdir db; : > db/index.txt; echo 01 > db/serial"
        "; printf '[ca]\\ndefault_ca=t\\n[t]\\ndatabase=db/index.txt\\nserial=db/serial\\n"
        "new_certs_dir=db\\ndefault_md=sha256\\npolicy=p\\n[p]\\ncommonName=supplied\\n' > ca.cnf"
        "; openssl req -new -key other.key -subj /CN=old -out old.csr"
        "; openssl ca -batch -config ca.cnf -selfsign -keyfile other.key -in old.csr -out old.pem"
        " -startdate 20200101000000Z -enddate 20200102000000Z -notext"
        "; echo 'not a certificate' > junk.pem 2>&1");
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir); }

  static std::string file(const std::string& name) { return (dir / name).string(); }

  // The issues of a TLS config with these files, as "path: message" lines.
  static std::string issues(const std::string& cert, const std::string& key,
                            const std::string& password = "", const std::string& ca = "") {
    mib::Config config;
    config.set("security.security_protocol", "Ssl");
    if (!ca.empty()) config.set("security.ssl.ca_file", file(ca));
    config.set("security.ssl.cert_file", file(cert));
    config.set("security.ssl.key_file", file(key));
    if (!password.empty()) config.set("security.ssl.key_password", password);
    std::string out;
    for (const auto& issue : config.validate()) out += issue.path + ": " + issue.message + "\n";
    return out;
  }

  static inline std::filesystem::path dir;
};

TEST_F(TlsFiles, AMatchingCertificateAndKeyPass) {
  EXPECT_EQ(issues("good.pem", "good.key", "", "good.pem"), "");
  EXPECT_EQ(issues("good.pem", "protected.key", "key-secret"), "");
}

TEST_F(TlsFiles, AnExpiredCertificateIsNamedWithItsDate) {
  const std::string out = issues("old.pem", "other.key");
  EXPECT_NE(out.find("security.ssl.cert_file: the certificate of /CN=old expired on "
                     "2020-01-02T00:00:00Z"),
            std::string::npos)
      << out;
}

TEST_F(TlsFiles, AKeyPasswordMissingOrWrongIsNamedAndNotShown) {
  const std::string missing = issues("good.pem", "protected.key");
  EXPECT_NE(missing.find("security.ssl.key_password: the key in " + file("protected.key") +
                         " is encrypted: its password is needed"),
            std::string::npos)
      << missing;
  const std::string wrong = issues("good.pem", "protected.key", "not-it");
  EXPECT_NE(wrong.find("security.ssl.key_password: does not open the key in "), std::string::npos)
      << wrong;
  EXPECT_EQ(wrong.find("not-it"), std::string::npos) << wrong;
}

TEST_F(TlsFiles, AKeyOfAnotherCertificateIsNamed) {
  const std::string out = issues("good.pem", "other.key");
  EXPECT_NE(out.find("security.ssl.key_file: is not the key of the certificate in " +
                     file("good.pem") + " (/CN=good)"),
            std::string::npos)
      << out;
}

TEST_F(TlsFiles, FilesThatAreNotPemAreNamed) {
  const std::string out = issues("junk.pem", "junk.pem", "", "junk.pem");
  EXPECT_NE(out.find("security.ssl.ca_file: holds no PEM certificate"), std::string::npos) << out;
  EXPECT_NE(out.find("security.ssl.cert_file: holds no PEM certificate"), std::string::npos) << out;
  EXPECT_NE(out.find("security.ssl.key_file: holds no PEM private key"), std::string::npos) << out;
}

}  // namespace
