#include "engine/evaluation.hpp"
#include "engine/rules.hpp"

namespace tthc::engine {

calendar::Limit operative_limit(const ProcedureRule& rule, Channel channel) {
  if (channel == Channel::Online && rule.online.has_due()) return rule.online;
  if (rule.reduced.has_due()) return rule.reduced;
  return rule.legal;
}

std::string_view to_string(PausePolicy p) {
  return p == PausePolicy::Pause ? "pause" : "restart";
}

std::string_view to_string(JudgeBy j) {
  return j == JudgeBy::ProcessingEnd ? "processing_end" : "return";
}

std::string_view to_string(Exclusion e) {
  switch (e) {
    case Exclusion::None: return "none";
    case Exclusion::NotReceived: return "not_received";
    case Exclusion::Refused: return "refused";
    case Exclusion::NoReceipt: return "no_receipt";
    case Exclusion::NoEndTime: return "no_end_time";
    case Exclusion::StatusUnknown: return "status_unknown";
  }
  return "?";
}

std::string_view to_string(BaseDueSource s) {
  switch (s) {
    case BaseDueSource::None: return "none";
    case BaseDueSource::Promised: return "NgayHenTra";
    case BaseDueSource::Computed: return "computed";
  }
  return "?";
}

std::string_view to_string(EndSource s) {
  switch (s) {
    case EndSource::None: return "none";
    case EndSource::ProcessingEnd: return "NgayKetThucXuLy";
    case EndSource::FinishedEntry: return "progress_status_9";
    case EndSource::ReturnedEntry: return "progress_status_10";
    case EndSource::StoppedEntry: return "progress_status_8";
    case EndSource::WithdrawnEntry: return "progress_status_7";
    case EndSource::ReturnDate: return "NgayTra";
  }
  return "?";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Early: return "early";
    case Outcome::OnTime: return "on_time";
    case Outcome::Overdue: return "overdue";
  }
  return "?";
}

std::string_view to_string(PendingState s) {
  switch (s) {
    case PendingState::InTime: return "in_time";
    case PendingState::DueSoon: return "due_soon";
    case PendingState::Paused: return "paused";
    case PendingState::Overdue: return "overdue";
  }
  return "?";
}

std::string_view label_vi(Outcome o) {
  switch (o) {
    case Outcome::Early: return "Trước hạn";
    case Outcome::OnTime: return "Đúng hạn";
    case Outcome::Overdue: return "Quá hạn";
  }
  return "?";
}

std::string_view label_vi(PendingState s) {
  switch (s) {
    case PendingState::InTime: return "Trong hạn";
    case PendingState::DueSoon: return "Sắp đến hạn";
    case PendingState::Paused: return "Tạm dừng";
    case PendingState::Overdue: return "Quá hạn";
  }
  return "?";
}

}  // namespace tthc::engine
