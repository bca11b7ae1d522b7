#include "domain/status.hpp"

namespace tthc {

std::optional<Status> status_from_code(long long code) {
  if (code < 1 || code > 10) return std::nullopt;
  return static_cast<Status>(code);
}

std::string_view status_name_vi(Status s) {
  switch (s) {
    case Status::Unknown: return "Chưa rõ trạng thái";
    case Status::Registered: return "Mới đăng ký";
    case Status::Received: return "Được tiếp nhận";
    case Status::Refused: return "Không được tiếp nhận";
    case Status::InProcess: return "Đang xử lý";
    case Status::AwaitingSupplement: return "Yêu cầu bổ sung giấy tờ";
    case Status::AwaitingPayment: return "Yêu cầu thực hiện nghĩa vụ tài chính";
    case Status::Withdrawn: return "Công dân yêu cầu rút hồ sơ";
    case Status::Stopped: return "Dừng xử lý";
    case Status::Finished: return "Đã xử lý xong";
    case Status::Returned: return "Đã trả kết quả";
  }
  return "?";
}

std::string_view status_key(Status s) {
  switch (s) {
    case Status::Unknown: return "unknown";
    case Status::Registered: return "registered";
    case Status::Received: return "received";
    case Status::Refused: return "refused";
    case Status::InProcess: return "in_process";
    case Status::AwaitingSupplement: return "awaiting_supplement";
    case Status::AwaitingPayment: return "awaiting_payment";
    case Status::Withdrawn: return "withdrawn";
    case Status::Stopped: return "stopped";
    case Status::Finished: return "finished";
    case Status::Returned: return "returned";
  }
  return "unknown";
}

std::optional<Channel> channel_from_code(long long code) {
  if (code < 1 || code > 3) return std::nullopt;
  return static_cast<Channel>(code);
}

std::string_view channel_key(Channel c) {
  switch (c) {
    case Channel::InPerson: return "in_person";
    case Channel::Online: return "online";
    case Channel::Postal: return "postal";
  }
  return "unknown";
}

}  // namespace tthc
