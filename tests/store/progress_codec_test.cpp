// The packed progress format: what is written reads back, what SQLite's json functions write
// reads too, and a hand-edited or damaged text is an error, never a crash.
#include "store/progress_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tthc::store {
namespace {

ProgressEntry entry(std::int64_t at, Status s, std::string dept, std::string handler,
                    std::string title, std::string action) {
  ProgressEntry e;
  e.at = Moment{Duration{at}};
  e.status = s;
  e.department = std::move(dept);
  e.handler = std::move(handler);
  e.handler_title = std::move(title);
  e.action = std::move(action);
  return e;
}

std::string encode(const std::vector<ProgressEntry>& entries, std::int64_t batch = 7) {
  std::vector<EntryRef> refs;
  for (const ProgressEntry& e : entries) refs.push_back(EntryRef{&e, batch});
  std::string out;
  encode_progress(refs, out);
  return out;
}

TEST(ProgressCodec, EveryFieldRoundTrips) {
  std::vector<ProgressEntry> entries = {
      entry(1735744111, Status::Received, "Bộ phận Một cửa", "Trần Thị Bình", "Chuyên viên",
            "Tiếp nhận"),
      entry(1735830511, Status::InProcess, "Phòng \"Quản lý\" \\ chuyên ngành", "", "tab\there",
            "line1\nline2\r\x01\x1f end"),
      entry(-5, Status::Finished, "", "😀 ngoài BMP", "", "")};
  entries[0].step_start = Moment{Duration{1735744111}};
  entries[0].step_deadline = Moment{Duration{1735923600}};
  entries[1].step_deadline = Moment{Duration{0}};
  const std::string text = encode(entries, 42);

  std::vector<ProgressEntry> back;
  ASSERT_FALSE(decode_progress(text, true, back));
  EXPECT_EQ(back, entries);

  std::vector<StoredEntry> stored;
  ASSERT_FALSE(decode_progress(text, stored));
  ASSERT_EQ(stored.size(), 3U);
  EXPECT_EQ(stored[2].batch, 42);
  EXPECT_EQ(stored[1].entry, entries[1]);

  // Without the texts: the department stays (late steps are charged to it), the rest is empty.
  std::vector<ProgressEntry> bare;
  ASSERT_FALSE(decode_progress(text, false, bare));
  ASSERT_EQ(bare.size(), 3U);
  EXPECT_EQ(bare[1].department, entries[1].department);
  EXPECT_TRUE(bare[0].handler.empty());
  EXPECT_TRUE(bare[1].action.empty());
  EXPECT_EQ(bare[0].step_deadline, entries[0].step_deadline);
}

TEST(ProgressCodec, ControlCharactersAreEscapedSoTheTextIsJson) {
  const std::string text = encode({entry(1, Status::InProcess, "a\"b", "c\\d", "\n", "\x02")});
  EXPECT_EQ(text, R"([[1,4,"a\"b","c\\d","\u000a","\u0002",null,null,7]])");
  EXPECT_EQ(encode({}), "[]");
  std::vector<ProgressEntry> none;
  ASSERT_FALSE(decode_progress("[]", true, none));
  ASSERT_FALSE(decode_progress(" [ ] ", true, none));
  EXPECT_TRUE(none.empty());
}

TEST(ProgressCodec, ReadsEveryJsonEscapeAndWhitespace) {
  // As SQLite's json_group_array or a hand edit may write it.
  const std::string text =
      " [ [ 10 , 2 , \"Ph\\u00f2ng\\/A\" , \"\\ud83d\\ude00\" , \"\\b\\f\\n\\r\\t\" , \"x\" ,"
      " null , 20 , 3 ] ] ";
  std::vector<ProgressEntry> out;
  ASSERT_FALSE(decode_progress(text, true, out));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].department, "Phòng/A");
  EXPECT_EQ(out[0].handler, "😀");
  EXPECT_EQ(out[0].handler_title, "\b\f\n\r\t");
  EXPECT_EQ(out[0].status, Status::Received);
  EXPECT_FALSE(out[0].step_start);
  EXPECT_EQ(out[0].step_deadline, Moment{Duration{20}});
}

TEST(ProgressCodec, DamagedTextIsAnErrorNamingWhere) {
  const std::string good = encode({entry(1, Status::InProcess, "P", "H", "T", "A")});
  std::vector<std::string> bad = {
      "",
      "{}",
      "[",
      "[[1,4,\"P\",\"H\",\"T\",\"A\",null,null,7]",                      // unclosed
      "[[1,4,\"P\",\"H\",\"T\",\"A\",null,null]]",                       // a field short
      "[[1,4,\"P\",\"H\",\"T\",\"A\",null,null,7,8]]",                   // a field more
      "[[1,11,\"P\",\"H\",\"T\",\"A\",null,null,7]]",                    // not a status
      "[[1,4,\"P,\"H\",\"T\",\"A\",null,null,7]]",                       // quote missing
      "[[1,4,\"P\\q\",\"H\",\"T\",\"A\",null,null,7]]",                  // unknown escape
      "[[1,4,\"\\ud800\",\"H\",\"T\",\"A\",null,null,7]]",               // lone surrogate
      "[[1,4,\"\\u12\",\"H\",\"T\",\"A\",null,null,7]]",                 // short \u
      "[[\"1\",4,\"P\",\"H\",\"T\",\"A\",null,null,7]]",                 // a string for a time
      "[[99999999999999999999,4,\"P\",\"H\",\"T\",\"A\",null,null,7]]",  // out of range
      good + "x",
      good.substr(0, good.size() - 1),
  };
  for (const std::string& text : bad) {
    std::vector<ProgressEntry> out;
    const auto e = decode_progress(text, true, out);
    ASSERT_TRUE(e) << text;
    EXPECT_NE(e->message.find("stored progress entries"), std::string::npos) << e->message;
  }
  // Every prefix of a good text is an error, not a crash or a wild read.
  for (std::size_t n = 0; n < good.size(); ++n) {
    std::vector<ProgressEntry> out;
    EXPECT_TRUE(decode_progress(good.substr(0, n), true, out)) << n;
  }
}

}  // namespace
}  // namespace tthc::store
