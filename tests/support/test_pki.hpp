#pragma once
// A throwaway PKI for TLS tests, made once per test program in a temp folder with the OpenSSL
// C API: a CA, a server certificate it signs for localhost, 127.0.0.1 and ::1, a self-signed
// certificate for 127.0.0.1, and a key that matches neither.

#include "support/temp_dir.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace tthc::test {

namespace pki_detail {
namespace fs = std::filesystem;
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

inline Pkey new_key() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  check(key != nullptr, "EC key generation");
  return key;
}

inline void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, value);
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "X509_add_ext");
}

/// A certificate for `key` named `common_name`, signed by issuer/issuer_key, or self-signed when
/// issuer is null. A CA when `san` is empty, else a server certificate for those names.
inline Cert new_cert(EVP_PKEY* key, const std::string& common_name, const std::string& san,
                     X509* issuer, EVP_PKEY* issuer_key, long serial) {
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509* x = cert.get();
  check(X509_set_version(x, 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(x), serial) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(x), 24L * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(x, key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(x);
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("tthc-monitor tests"), -1,
                                   -1, 0) == 1,
        "O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) == 1,
        "CN");
  X509* signer = issuer != nullptr ? issuer : x;
  check(X509_set_issuer_name(x, X509_get_subject_name(signer)) == 1, "issuer");
  add_extension(x, signer, NID_subject_key_identifier, "hash");
  if (san.empty()) {
    add_extension(x, signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(x, signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(x, signer, NID_key_usage, "critical,digitalSignature");
    add_extension(x, signer, NID_ext_key_usage, "serverAuth");
    add_extension(x, signer, NID_subject_alt_name, san.c_str());
    if (issuer != nullptr) add_extension(x, signer, NID_authority_key_identifier, "keyid");
  }
  check(X509_sign(x, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

inline void write_pem(const fs::path& path, X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  check(bio != nullptr && PEM_write_bio_X509(bio.get(), cert) == 1, "writing a certificate");
}

inline void write_pem(const fs::path& path, EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  check(bio != nullptr &&
            PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing a key");
}

/// The files, made once for the whole test program.
struct Pki {
  TempDir dir;
  fs::path ca_cert = dir.file("ca.pem");
  fs::path server_cert = dir.file("server.pem");  ///< signed by the CA: localhost, 127.0.0.1, ::1
  fs::path server_key = dir.file("server.key");
  fs::path self_signed_cert = dir.file("self-signed.pem");  ///< for 127.0.0.1, no CA
  fs::path self_signed_key = dir.file("self-signed.key");
  fs::path other_key = dir.file("other.key");  ///< matches neither certificate

  Pki() {
    const Pkey ca_key = new_key();
    const Cert ca = new_cert(ca_key.get(), "tthc test CA", "", nullptr, nullptr, 1);
    write_pem(ca_cert, ca.get());

    const Pkey key = new_key();
    const Cert server = new_cert(key.get(), "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1",
                                 ca.get(), ca_key.get(), 2);
    write_pem(server_cert, server.get());
    write_pem(server_key, key.get());

    const Pkey lone_key = new_key();
    const Cert lone = new_cert(lone_key.get(), "127.0.0.1", "IP:127.0.0.1", nullptr, nullptr, 3);
    write_pem(self_signed_cert, lone.get());
    write_pem(self_signed_key, lone_key.get());

    write_pem(other_key, new_key().get());
  }
};

}  // namespace pki_detail

using Pki = pki_detail::Pki;

inline const Pki& pki() {
  static const Pki instance;
  return instance;
}

}  // namespace tthc::test
