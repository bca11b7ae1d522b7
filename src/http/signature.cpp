#include "http/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace tthc::http {

namespace {

std::array<unsigned char, 32> hmac_sha256(std::string_view secret, std::string_view body) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), out.data(), &len);
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string sign_body(std::string_view secret, std::string_view body) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto mac = hmac_sha256(secret, body);
  std::string out = "sha256=";
  for (const unsigned char b : mac) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool signature_matches(std::string_view secret, std::string_view body, std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.size() > 7 && (header.substr(0, 7) == "sha256=" || header.substr(0, 7) == "SHA256=")) {
    header.remove_prefix(7);
  }
  if (header.size() != 64) return false;
  std::array<unsigned char, 32> given{};
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(header[2 * i]);
    const int lo = hex_value(header[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    given[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  const auto expected = hmac_sha256(secret, body);
  return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace tthc::http
