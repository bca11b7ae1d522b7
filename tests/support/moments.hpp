#pragma once
// Moments as the tests write them: a date and a local (UTC+7) time of day.

#include "domain/time.hpp"

#include <string>

namespace tthc::test {

/// The moment y-mo-d h:mi:s, Vietnam time.
inline Moment at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return make_moment(y, mo, d, h, mi, s);
}

/// The same moment as ISO text, for tests that compare moments as text (libstdc++ 12 cannot
/// print chrono time points, so a failure would show bytes).
inline std::string iso_at(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  return format_iso(at(y, mo, d, h, mi, s));
}

}  // namespace tthc::test
