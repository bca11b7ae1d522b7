#include "http/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <optional>
#include <vector>

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

std::string to_hex(const std::array<unsigned char, 32>& mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const unsigned char b : mac) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// The digest a 64-digit hex text spells, in either case; none for anything else.
std::optional<std::array<unsigned char, 32>> from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::array<unsigned char, 32> out{};
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

bool digest_matches(std::string_view hex, const std::array<unsigned char, 32>& expected) {
  const auto given = from_hex(hex);
  return given && CRYPTO_memcmp(given->data(), expected.data(), expected.size()) == 0;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string timestamped_text(std::int64_t t, std::string_view body) {
  std::string text = std::to_string(t);
  text += '.';
  text += body;
  return text;
}

}  // namespace

std::string sign_body(std::string_view secret, std::string_view body) {
  return "sha256=" + to_hex(hmac_sha256(secret, body));
}

bool signature_matches(std::string_view secret, std::string_view body, std::string_view header) {
  header = trimmed(header);
  if (header.size() > 7 && (header.substr(0, 7) == "sha256=" || header.substr(0, 7) == "SHA256=")) {
    header.remove_prefix(7);
  }
  return digest_matches(header, hmac_sha256(secret, body));
}

std::string sign_timestamped(std::string_view secret, std::string_view body,
                             std::int64_t unix_seconds) {
  return "t=" + std::to_string(unix_seconds) +
         ",v1=" + to_hex(hmac_sha256(secret, timestamped_text(unix_seconds, body)));
}

SignatureCheck check_signature(std::string_view secret, std::string_view body,
                               std::string_view header, std::int64_t now_unix,
                               std::chrono::seconds tolerance) {
  header = trimmed(header);
  if (!header.starts_with("t=")) {
    return signature_matches(secret, body, header) ? SignatureCheck::ValidPlain
                                                   : SignatureCheck::Invalid;
  }
  std::optional<std::int64_t> t;
  std::vector<std::string_view> digests;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view part = trimmed(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (part.starts_with("t=")) {
      std::int64_t v = 0;
      const auto digits = part.substr(2);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || end != digits.data() + digits.size() || t) {
        return SignatureCheck::Invalid;
      }
      t = v;
    } else if (part.starts_with("v1=")) {
      if (digests.size() < 4) digests.push_back(part.substr(3));
    }  // other schemes (v0=, ...) are ignored
  }
  if (!t || digests.empty()) return SignatureCheck::Invalid;
  const auto expected = hmac_sha256(secret, timestamped_text(*t, body));
  bool matched = false;
  for (const std::string_view d : digests) matched = digest_matches(d, expected) || matched;
  if (!matched) return SignatureCheck::Invalid;
  // Bounds around now (a realistic clock): no overflow whatever t a sender writes.
  const bool in_window = *t >= now_unix - tolerance.count() && *t <= now_unix + tolerance.count();
  return in_window ? SignatureCheck::Valid : SignatureCheck::OutOfWindow;
}

}  // namespace tthc::http
