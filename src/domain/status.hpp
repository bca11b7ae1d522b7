#pragma once
// Dossier status codes (TrangThaiHoSo, TrangThai) and receiving channels (KenhThucHien),
// as the one-stop systems and the national portal define them.

#include <cstdint>
#include <optional>
#include <string_view>

namespace tthc {

enum class Status : std::uint8_t {
  /// Not a code: TrangThaiHoSo sent as "", "0" or a word. The record is kept but the dossier
  /// counts nowhere until a snapshot with a known status replaces it. Stored as 0.
  Unknown = 0,
  Registered = 1,          ///< Mới đăng ký: submitted online, not yet received
  Received = 2,            ///< Được tiếp nhận
  Refused = 3,             ///< Không được tiếp nhận
  InProcess = 4,           ///< Đang xử lý
  AwaitingSupplement = 5,  ///< Yêu cầu bổ sung giấy tờ
  AwaitingPayment = 6,     ///< Yêu cầu thực hiện nghĩa vụ tài chính
  Withdrawn = 7,           ///< Công dân yêu cầu rút hồ sơ
  Stopped = 8,             ///< Dừng xử lý
  Finished = 9,            ///< Đã xử lý xong
  Returned = 10,           ///< Đã trả kết quả
};

std::optional<Status> status_from_code(long long code);
inline int status_code(Status s) {
  return static_cast<int>(s);
}

/// 7, 8, 9, 10: the dossier has left processing.
inline bool is_end_status(Status s) {
  return static_cast<int>(s) >= 7;
}
/// 5, 6: the applicant holds the dossier; the clock stops.
inline bool is_pause_status(Status s) {
  return s == Status::AwaitingSupplement || s == Status::AwaitingPayment;
}
/// 1 and 3 never count: not yet received, or refused at the desk; nor does an unknown status.
inline bool is_counted_status(Status s) {
  return s != Status::Registered && s != Status::Refused && s != Status::Unknown;
}

/// Vietnamese name as users know it ("Đang xử lý").
std::string_view status_name_vi(Status s);
/// Stable English key for APIs ("in_process").
std::string_view status_key(Status s);

enum class Channel : std::uint8_t {
  InPerson = 1,  ///< trực tiếp
  Online = 2,    ///< trực tuyến
  Postal = 3,    ///< dịch vụ bưu chính công ích
};

std::optional<Channel> channel_from_code(long long code);
std::string_view channel_key(Channel c);

}  // namespace tthc
