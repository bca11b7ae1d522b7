#pragma once
// A dossier's progress entries as stored: one JSON array per dossier (schema migration 3),
//   [[at, status, "department", "handler", "handler_title", "action", step_start, step_deadline,
//     batch_id], ...]
// with times as stored (seconds since 1970-01-01 00:00 Vietnam local time, null when absent),
// sorted by (at, status, department). One row per dossier instead of one per entry halves the
// B-tree inserts of an import; JSON keeps the entries readable from SQL (the progress_entries
// view unpacks them with json_each). Entries are only ever added.

#include "base/result.hpp"
#include "domain/dossier.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tthc::store {

/// A stored entry: the entry and the batch that brought it.
struct StoredEntry {
  ProgressEntry entry;
  std::int64_t batch = 0;
};

/// An entry to encode, where it already is: merging never copies an entry's texts.
struct EntryRef {
  const ProgressEntry* entry = nullptr;
  std::int64_t batch = 0;
};

/// Appends the JSON array of `entries` (in their order) to `out`.
void encode_progress(std::span<const EntryRef> entries, std::string& out);

/// Appends the entries of `text` to `out`, in their stored order. Without `with_text` the
/// handler, title and action are skipped (left empty). A text not in the format above (a file
/// edited by hand) is an error naming the byte offset; `out` may then hold the entries before it.
std::optional<Error> decode_progress(std::string_view text, bool with_text,
                                     std::vector<ProgressEntry>& out);
/// The same with the batch of each entry.
std::optional<Error> decode_progress(std::string_view text, std::vector<StoredEntry>& out);

}  // namespace tthc::store
