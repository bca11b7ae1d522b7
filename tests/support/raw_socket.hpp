#pragma once
// A plain TCP connection to 127.0.0.1 for the bytes no well-behaved client sends: half
// requests, garbage, silence. Tells when the peer closes and reads raw HTTP/1.1 replies.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tthc::test {

/// A plain TCP socket for bytes no well-behaved client sends.
class RawSocket {
 public:
  /// `from`: the source address, another one of 127.0.0.0/8 to play another client.
  explicit RawSocket(std::uint16_t port, const char* from = nullptr)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    if (from != nullptr && fd_ >= 0) {
      ::inet_pton(AF_INET, from, &address.sin_addr);
      if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) return;
    }
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = fd_ >= 0 &&
                 ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads what arrives until the peer closes (true) or the timeout passes (false).
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const int r = read_some(deadline);
      if (r < 0) return true;
      if (r == 0) return false;
    }
  }

  struct Reply {
    int status = 0;
    std::string head;  // lower-cased status line and headers
    std::string body;
  };

  /// The next complete response (Content-Length framed), or nullopt on close or timeout.
  std::optional<Reply> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto reply = take_reply()) return reply;
      if (read_some(deadline) <= 0) return take_reply();
    }
  }

  const std::string& received() const { return received_; }

 private:
  /// >0: bytes read; 0: timeout; <0: closed (EOF or reset).
  int read_some(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds::zero()) return 0;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready == 0) return 0;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return -1;
    received_.append(buffer, static_cast<std::size_t>(n));
    pending_.append(buffer, static_cast<std::size_t>(n));
    return 1;
  }

  std::optional<Reply> take_reply() {
    const std::size_t end = pending_.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    Reply reply;
    reply.head = pending_.substr(0, end);
    for (char& c : reply.head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (reply.head.rfind("http/1.", 0) != 0 || reply.head.size() < 12) return std::nullopt;
    reply.status = std::stoi(reply.head.substr(9, 3));
    std::size_t length = 0;
    if (const std::size_t at = reply.head.find("\r\ncontent-length: "); at != std::string::npos) {
      length = std::stoul(reply.head.substr(at + 18));
    }
    if (pending_.size() < end + 4 + length) return std::nullopt;
    reply.body = pending_.substr(end + 4, length);
    pending_.erase(0, end + 4 + length);
    return reply;
  }

  int fd_;
  bool connected_ = false;
  std::string received_;
  std::string pending_;
};

}  // namespace tthc::test
