// The stored progress entries (src/store/progress_codec): any text decodes or fails without
// harm; a text that decodes re-encodes to one that decodes to the same entries and batches,
// and re-encoding that gives the same bytes; decoding without the texts gives the same entries
// with the texts left empty.

#include "fuzz/fuzz_check.hpp"
#include "store/progress_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace tthc;
using namespace tthc::store;

std::string encode(const std::vector<StoredEntry>& entries) {
  std::vector<EntryRef> refs;
  refs.reserve(entries.size());
  for (const StoredEntry& e : entries) refs.push_back(EntryRef{&e.entry, e.batch});
  std::string out = "prefix kept:";
  encode_progress(refs, out);
  FUZZ_CHECK(out.starts_with("prefix kept:"));
  return out.substr(12);
}

bool same(const std::vector<StoredEntry>& a, const std::vector<StoredEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i].entry == b[i].entry) || a[i].batch != b[i].batch) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);

  std::vector<StoredEntry> stored;
  const auto error = decode_progress(text, stored);

  std::vector<ProgressEntry> bare;
  const auto bare_error = decode_progress(text, false, bare);
  if (error) return 0;
  FUZZ_CHECK(!bare_error);
  FUZZ_CHECK(bare.size() == stored.size());
  for (std::size_t i = 0; i < bare.size(); ++i) {
    ProgressEntry e = stored[i].entry;
    e.handler.clear();
    e.handler_title.clear();
    e.action.clear();
    FUZZ_CHECK(bare[i] == e);
  }

  const std::string encoded = encode(stored);
  std::vector<StoredEntry> decoded;
  FUZZ_CHECK(!decode_progress(encoded, decoded));
  FUZZ_CHECK(same(stored, decoded));
  FUZZ_CHECK(encode(decoded) == encoded);
  return 0;
}
