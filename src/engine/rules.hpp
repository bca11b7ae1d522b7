#pragma once
// What the engine is told besides the dossier: the procedure's limits and the province's
// settings for judging.

#include "calendar/limit.hpp"
#include "domain/status.hpp"
#include "domain/time.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tthc::engine {

/// One row of the procedure catalogue (config/procedures.csv).
struct ProcedureRule {
  std::string code;         ///< MaTTHC
  std::string name;         ///< TenTTHC
  std::string field_code;   ///< MaLinhVuc
  std::string field_name;   ///< TenLinhVuc
  calendar::Limit legal;    ///< thời hạn theo quy định
  calendar::Limit reduced;  ///< thời hạn sau cắt giảm (the province's commitment)
  calendar::Limit online;   ///< limit for online (channel 2) dossiers, when different
};

/// domain.md §8.3: channel 2 uses the online limit when set, else the reduced one when set,
/// else the legal one; other channels the reduced one when set, else the legal one.
calendar::Limit operative_limit(const ProcedureRule& rule, Channel channel);

/// How supplementation pauses move the due (domain.md §4, §8.6).
enum class PausePolicy : std::uint8_t {
  Pause,    ///< every pause begun before the due moves it by the pause's working time
  Restart,  ///< the full limit starts again when the supplement is received
};

/// Which moment ends a dossier for judging (domain.md §8.7).
enum class JudgeBy : std::uint8_t {
  ProcessingEnd,  ///< NgayKetThucXuLy / the first status 9
  Return,         ///< NgayTra: the result handed back; status 9 is still pending
};

std::string_view to_string(PausePolicy p);
std::string_view to_string(JudgeBy j);

struct Settings {
  PausePolicy pause_policy = PausePolicy::Pause;
  JudgeBy judge_by = JudgeBy::ProcessingEnd;
  /// A pending dossier with at most this working time left is due soon.
  Duration due_soon = std::chrono::hours{8};
};

}  // namespace tthc::engine
