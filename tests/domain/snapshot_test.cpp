// The content fingerprint is stored with every snapshot: a program that computed it differently
// would take every re-sent record for a new one. These values pin it.
#include "domain/snapshot.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(ContentHash, StoredFingerprintsNeverChange) {
  const std::string text = "Nguyễn Văn An 0123456789";
  struct Case {
    std::size_t length;
    std::uint64_t plain, seeded;  // seeded: with seed 12345
  };
  const Case cases[] = {
      {0, 9572011570169803578ULL, 1879391956040730116ULL},
      {1, 684176245607079603ULL, 9847891222170958118ULL},
      {2, 13692599041705720508ULL, 11212623930642714031ULL},
      {3, 5957797709919340282ULL, 16749243471089471109ULL},
      {8, 11266633800975523462ULL, 8281915846640614333ULL},
      {11, 4940551266267717899ULL, 1143514942602876394ULL},
      {25, 9851689203825034970ULL, 13107844589321240541ULL},
      {26, 11974440690982235394ULL, 610246894535576883ULL},
      {27, 3377554318299952434ULL, 10327241572967237494ULL},
  };
  for (const Case& c : cases) {
    const std::string_view part = std::string_view(text).substr(0, c.length);
    EXPECT_EQ(tthc::content_hash(part), c.plain) << c.length;
    EXPECT_EQ(tthc::content_hash(part, 12345), c.seeded) << c.length;
  }
}

}  // namespace
