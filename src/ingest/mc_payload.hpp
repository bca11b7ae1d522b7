#pragma once
// The MC sync payloads the one-stop systems send to the national portal (domain.md §2):
//   {"session", "madonvi", "service": "DongBoHoSoMC", "isUpdating", "data": [<dossier>, ...]}
//   {"service": "CapNhatTienDoHoSoMC", "data": [<progress entry>, ...], ...}
//   {"service": "DongBoThongKeHoSo", "data": [<monthly statistics>, ...], ...}
// or a bare array of records (dossiers unless a service hint says otherwise), parsed and
// validated into domain values. One parser serves the webhook, the poller and the file import.
// Envelope members other than service, madonvi and data are not read (`session` is never kept).
//
// A record is accepted or rejected whole; a rejection names the record's index, its MaHoSo when
// readable, and the field and value at fault: `NgayTiepNhan: not a date: "2025-13-40"`.
// Codes may be JSON strings, numbers or {"MaMuc", "TenMuc"} objects (the MaMuc is read); dates
// in any form parse_data_moment takes; "" and null = absent. TrangThaiHoSo "", null, 0 or a word
// is Status::Unknown: the record is kept, the dossier counted nowhere until a code arrives.
// Of the members not read only DanhSachHoSoBoSung and LoaiDoiTuong are kept (in `raw`); the
// others — personal details above all — are dropped and left out of the fingerprint.

#include "base/result.hpp"
#include "domain/claimed_stats.hpp"
#include "domain/snapshot.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::ingest {

/// Bounds that keep a hostile payload from costing more than a legitimate one.
struct Limits {
  std::size_t max_code_bytes = 128;   ///< MaHoSo, MaTTHC, MaLinhVuc, ...
  std::size_t max_text_bytes = 4096;  ///< names, departments, action texts
  std::size_t max_list_items = 1000;  ///< QuaTrinhXuLy / DanhSachHoSoBoSung per dossier
  int min_year = 2000;                ///< dates outside [min_year, max_year] are errors
  int max_year = 2100;
};

struct Rejection {
  std::size_t index = 0;  ///< position in `data` (or the line number for imports)
  std::string code;       ///< MaHoSo when it could be read
  std::string reason;
};

/// A parsed envelope or line: accepted records and rejections.
struct Batch {
  std::vector<DossierSnapshot> dossiers;
  std::vector<ProgressUpdate> progress;
  /// DongBoThongKeHoSo records, read by ingest/claimed_stats (a bad one is a rejection).
  std::vector<ClaimedStats> statistics = {};
  std::vector<Rejection> rejected;
  std::size_t records = 0;  ///< records seen (statistics ones too)
  std::string sender = {};  ///< the envelope's madonvi; empty when absent
};

/// A whole MC envelope, or a bare array of records of the service `service_hint` names
/// (DongBoHoSoMC when empty; an envelope's own `service` wins). An error concerns the body
/// itself (malformed JSON, neither object nor array, unknown service, `data` not an array):
/// nothing in it was accepted.
Result<Batch> parse_envelope(std::string_view body, const Limits& limits = {},
                             std::string_view service_hint = {});

/// One JSON Lines line: a dossier record (QuaTrinhXuLy embedded or not), a bare array of them,
/// or a whole envelope.
/// Rejections carry `index` = `line_number`.
Result<Batch> parse_line(std::string_view line, std::size_t line_number, const Limits& limits = {});
/// The same, appending to `out` (an import's batch). An error concerns the line (malformed
/// JSON, a bad envelope); nothing of it was appended then.
std::optional<Error> parse_line_into(std::string_view line, std::size_t line_number,
                                     const Limits& limits, Batch& out);

/// Where a poll response keeps its parts: dot-separated object keys ("data", "result.items");
/// an empty `records` path means the body itself is the array.
struct PageShape {
  std::string records = "data";
  std::string next_cursor = "next";   ///< empty: the response carries no cursor
  std::string has_more = "has_more";  ///< empty: a full page means there may be more
};

/// One page of a poll response.
struct Page {
  Batch batch;
  std::optional<std::string> next_cursor;  ///< a string or a number in the response
  std::optional<bool> has_more;
};

enum class RecordKind { Dossier, Progress, Statistics };

/// A poll response page. An error concerns the page (malformed JSON, an HTML error page, the
/// records not an array at `shape.records`): nothing in it was read.
Result<Page> parse_page(std::string_view body, const PageShape& shape, RecordKind kind,
                        const Limits& limits = {});

}  // namespace tthc::ingest
