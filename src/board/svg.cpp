#include "board/svg.hpp"

#include "domain/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tthc::board {

namespace {

constexpr std::string_view kFont =
    "font-family=\"'Segoe UI','Noto Sans','DejaVu Sans',Roboto,Arial,sans-serif\"";
// Colours: navy received, teal resolved, red overdue, amber target; text dark grey.
constexpr std::string_view kReceived = "#5b7db8";
constexpr std::string_view kResolved = "#2a9d8f";
constexpr std::string_view kOverdue = "#c0392b";
constexpr std::string_view kRate = "#1d3557";
constexpr std::string_view kTarget = "#b7791f";
constexpr std::string_view kText = "#222";
constexpr std::string_view kMuted = "#666";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string open_svg(int width, int height, std::string_view title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) +
         " " + std::to_string(height) + "\" role=\"img\" " + std::string(kFont) +
         " font-size=\"13\">\n<title>" + escape_markup(title) + "</title>\n" +
         "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
}

// `extra` attributes may set their own fill; the default is the text colour.
std::string text(double x, double y, std::string_view content, std::string_view extra = "") {
  const bool own_fill = extra.find("fill=") != std::string_view::npos;
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" +
         (own_fill ? std::string() : " fill=\"" + std::string(kText) + "\"") +
         (extra.empty() ? "" : " " + std::string(extra)) + ">" + escape_markup(content) +
         "</text>\n";
}

std::string rect(double x, double y, double w, double h, std::string_view fill,
                 std::string_view extra = "") {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) +
         "\" height=\"" + num(std::max(h, 0.0)) + "\" fill=\"" + std::string(fill) + "\"" +
         (extra.empty() ? "" : " " + std::string(extra)) + "/>\n";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view stroke,
                 std::string_view extra = "") {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
         num(y2) + "\" stroke=\"" + std::string(stroke) + "\"" +
         (extra.empty() ? "" : " " + std::string(extra)) + "/>\n";
}

// A round axis maximum (1, 2 or 5 × 10^k) at or above `v`.
double nice_max(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

// At most `max_chars` characters of a UTF-8 text, then "…".
std::string shorten(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return std::string(s.substr(0, i)) + "…";
    }
  }
  return std::string(s);
}

std::string legend_item(double x, double y, std::string_view colour, std::string_view label) {
  return rect(x, y - 10, 12, 12, colour) + text(x + 17, y, label);
}

}  // namespace

std::string trend_svg(const std::vector<TrendPoint>& months, double target, Lang lang) {
  const bool vi = lang == Lang::Vi;
  constexpr int kWidth = 960, kHeight = 360;
  const double left = 60, right = 60, top = 50, bottom = 50;
  const double plot_w = kWidth - left - right, plot_h = kHeight - top - bottom;
  std::string out =
      open_svg(kWidth, kHeight,
               vi ? "Xu hướng 12 tháng: tiếp nhận, giải quyết, quá hạn và tỷ lệ đúng hạn"
                  : "12-month trend: received, resolved, overdue and on-time rate");
  double max_count = 0;
  for (const TrendPoint& p : months) {
    if (p.known) max_count = std::max({max_count, double(p.received), double(p.resolved)});
  }
  const double y_max = nice_max(max_count);
  const auto y_count = [&](double v) { return top + plot_h - plot_h * v / y_max; };
  const auto y_rate = [&](double r) { return top + plot_h - plot_h * r; };

  // Grid and both axes' labels.
  for (int i = 0; i <= 4; ++i) {
    const double y = top + plot_h * i / 4;
    out += line(left, y, left + plot_w, y, "#e3e6ea");
    out += text(left - 6, y + 4, format_count(std::llround(y_max * (4 - i) / 4), lang),
                "text-anchor=\"end\" font-size=\"11\" fill=\"" + std::string(kMuted) + "\"");
    out += text(left + plot_w + 6, y + 4, std::to_string(100 * (4 - i) / 4) + " %",
                "font-size=\"11\"");
  }
  out += legend_item(left, 22, kReceived, vi ? "Tiếp nhận" : "Received");
  out += legend_item(left + 110, 22, kResolved, vi ? "Đã giải quyết" : "Resolved");
  out += legend_item(left + 240, 22, kOverdue, vi ? "Giải quyết quá hạn" : "Resolved overdue");
  out += line(left + 410, 17, left + 440, 17, std::string(kRate), "stroke-width=\"3\"");
  out += "<circle cx=\"" + num(left + 425) + "\" cy=\"17\" r=\"4\" fill=\"" + std::string(kRate) +
         "\"/>\n";
  out += text(left + 446, 22, vi ? "Tỷ lệ đúng hạn (trục phải)" : "On-time rate (right axis)");
  out +=
      line(left + 660, 17, left + 690, 17, kTarget, "stroke-width=\"2\" stroke-dasharray=\"6 4\"");
  out += text(left + 696, 22, (vi ? "Mục tiêu " : "Target ") + format_percent(target, lang));

  const double slot = months.empty() ? plot_w : plot_w / static_cast<double>(months.size());
  const double bar = std::min(18.0, slot / 4);
  std::string rate_path;
  std::string points;
  for (std::size_t i = 0; i < months.size(); ++i) {
    const TrendPoint& p = months[i];
    const double x0 = left + slot * static_cast<double>(i);
    const double mid = x0 + slot / 2;
    out += text(mid, top + plot_h + 18, format_month(p.year, p.month),
                "text-anchor=\"middle\" font-size=\"11\"");
    if (!p.known) {
      out += text(mid, top + plot_h - 6, "…", "text-anchor=\"middle\"");
      continue;
    }
    const double bx = mid - 1.5 * bar;
    const std::pair<std::int64_t, std::string_view> bars[] = {
        {p.received, kReceived}, {p.resolved, kResolved}, {p.overdue, kOverdue}};
    for (int b = 0; b < 3; ++b) {
      const double v = static_cast<double>(bars[b].first);
      out += rect(bx + bar * b, y_count(v), bar - 2, top + plot_h - y_count(v), bars[b].second);
    }
    if (p.on_time_rate) {
      const double y = y_rate(*p.on_time_rate);
      rate_path += (rate_path.empty() ? "M" : " L") + num(mid) + " " + num(y);
      points += "<circle cx=\"" + num(mid) + "\" cy=\"" + num(y) + "\" r=\"4\" fill=\"" +
                std::string(kRate) + "\"/>\n";
      points += text(mid, y - 8, format_percent(*p.on_time_rate, lang),
                     "text-anchor=\"middle\" font-size=\"10\"");
    }
  }
  out += line(left, y_rate(target), left + plot_w, y_rate(target), kTarget,
              "stroke-width=\"2\" stroke-dasharray=\"6 4\"");
  if (!rate_path.empty()) {
    out += "<path d=\"" + rate_path + "\" fill=\"none\" stroke=\"" + std::string(kRate) +
           "\" stroke-width=\"3\"/>\n";
  }
  out += points;
  out += line(left, top + plot_h, left + plot_w, top + plot_h, "#999");
  out += "</svg>\n";
  return out;
}

std::string ranking_svg(const std::vector<RankBar>& units, double target, Lang lang) {
  const bool vi = lang == Lang::Vi;
  constexpr int kWidth = 960, kRow = 34;
  const double label_w = 330, bar_x = 340, bar_w = 420, top = 36;
  const int height =
      static_cast<int>(top) + kRow * static_cast<int>(std::max<std::size_t>(units.size(), 1)) + 16;
  std::string out = open_svg(kWidth, height,
                             vi ? "Xếp hạng đơn vị theo tỷ lệ đúng hạn tháng này (thấp nhất trước)"
                                : "Units by this month's on-time rate (lowest first)");
  out += text(bar_x, 20, vi ? "Tỷ lệ giải quyết đúng hạn tháng này" : "On-time rate this month",
              "font-weight=\"600\"");
  const double tx = bar_x + bar_w * target;
  if (units.empty()) out += text(bar_x, top + 20, vi ? "Chưa có đơn vị nào" : "No units yet");
  for (std::size_t i = 0; i < units.size(); ++i) {
    const RankBar& u = units[i];
    const double y = top + kRow * static_cast<double>(i);
    if (i % 2 == 0) out += rect(0, y, kWidth, kRow, "#f6f8fa");
    out += text(label_w, y + 21, shorten(u.label, 42), "text-anchor=\"end\"");
    out += rect(bar_x, y + 8, bar_w, 18, "#e9edf2");
    std::string value;
    if (u.on_time_rate) {
      const bool below = *u.on_time_rate < target;
      out += rect(bar_x, y + 8, bar_w * *u.on_time_rate, 18, below ? kOverdue : kResolved);
      value = format_percent(*u.on_time_rate, lang) +
              (below ? (vi ? " ▼ dưới mục tiêu" : " ▼ below target")
                     : (vi ? " ▲ đạt mục tiêu" : " ▲ on target"));
    } else {
      value = vi ? "chưa có hồ sơ giải quyết" : "nothing resolved yet";
    }
    out += text(bar_x + bar_w + 8, y + 15, value, "font-size=\"12\"");
    if (u.overdue_now > 0) {
      out +=
          text(bar_x + bar_w + 8, y + 29,
               "⚠ " + format_count(u.overdue_now, lang) + (vi ? " hồ sơ quá hạn" : " overdue now"),
               "font-size=\"11\" fill=\"" + std::string(kOverdue) + "\"");
    }
  }
  out += line(tx, top - 4, tx,
              top + kRow * static_cast<double>(std::max<std::size_t>(units.size(), 1)), kTarget,
              "stroke-width=\"2\" stroke-dasharray=\"6 4\"");
  out += text(tx, top - 8, (vi ? "mục tiêu " : "target ") + format_percent(target, lang),
              "text-anchor=\"middle\" font-size=\"11\"");
  out += "</svg>\n";
  return out;
}

namespace {

// The timeline's horizontal axis: from the earliest moment shown to the latest.
struct TimeAxis {
  Moment from, to;
  double plot_x, plot_w;
  double x(Moment m) const {
    return plot_x + plot_w * static_cast<double>((m - from).count()) /
                        static_cast<double>((to - from).count());
  }
};

TimeAxis time_axis(const TimelinePicture& t, double plot_x, double plot_w) {
  Moment from = t.received, to = t.end.value_or(t.now);
  for (const auto& m : {t.base_due, t.effective_due}) {
    if (m) to = std::max(to, *m);
  }
  for (const TimelineStep& s : t.steps) {
    from = std::min(from, s.start);
    to = std::max(to, s.end.value_or(s.start));
    if (s.deadline) to = std::max(to, *s.deadline);
  }
  if (to <= from) to = from + std::chrono::hours(1);
  return TimeAxis{from, to, plot_x, plot_w};
}

std::string timeline_legend(double plot_x, bool vi) {
  std::string out = legend_item(plot_x, 18, "#9fb3d1", vi ? "Thời gian xử lý" : "Processing");
  out += legend_item(plot_x + 140, 18, "url(#pause)",
                     vi ? "Tạm dừng (chờ bổ sung, nộp phí)" : "Paused (supplement, fees)");
  out += legend_item(plot_x + 390, 18, kOverdue, vi ? "⚠ Bước trễ hạn" : "⚠ Late step");
  out +=
      "<defs><pattern id=\"pause\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fdf0d5\"/>"
      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b7791f\" stroke-width=\"2\"/>"
      "</pattern></defs>\n";
  return out;
}

// One row per step, below the dossier's row: its bar, red when late, and its deadline.
std::string step_rows(const TimelinePicture& t, const TimeAxis& axis, double label_w, double top,
                      int width, int row, bool vi) {
  std::string out;
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const TimelineStep& s = t.steps[i];
    const double y = top + row * static_cast<double>(i + 1);
    if (i % 2 == 0) out += rect(0, y, width, row, "#f6f8fa");
    const std::string label =
        (s.overdue ? "⚠ " : "") +
        shorten(s.department.empty() ? (vi ? "(không rõ phòng)" : "(no department)") : s.department,
                30);
    out += text(label_w, y + 19, label,
                s.overdue ? "text-anchor=\"end\" fill=\"" + std::string(kOverdue) + "\""
                          : "text-anchor=\"end\"");
    const Moment end = s.end.value_or(t.now);
    out += rect(axis.x(s.start), y + 8, std::max(axis.x(end) - axis.x(s.start), 2.0), 14,
                s.overdue ? kOverdue : "#5b7db8");
    if (s.deadline) {
      const double dx = axis.x(*s.deadline);
      out += line(dx, y + 4, dx, y + 26, kText, "stroke-width=\"2\"");
      out += "<path d=\"M" + num(dx - 4) + " " + num(y + 4) + " L" + num(dx + 4) + " " +
             num(y + 4) + " L" + num(dx) + " " + num(y + 9) + " Z\" fill=\"" + std::string(kText) +
             "\"/>\n";
    }
  }
  return out;
}

// Markers across every row: base due, effective due, end, now.
std::string timeline_markers(const TimelinePicture& t, const TimeAxis& axis, double top,
                             double bottom, bool vi) {
  struct Marker {
    std::optional<Moment> at;
    std::string label;
    std::string_view colour;
    std::string_view dash;
  };
  const Marker markers[] = {
      {t.base_due, vi ? "Hạn gốc" : "Base due", kTarget, "6 4"},
      {t.effective_due, vi ? "Hạn sau tạm dừng" : "Effective due", kOverdue, ""},
      {t.end, vi ? "Kết thúc" : "End", kResolved, ""},
      {t.end ? std::nullopt : std::optional<Moment>(t.now), vi ? "Bây giờ" : "Now", kRate, "2 3"},
  };
  std::string out;
  int slot = 0;
  for (const Marker& m : markers) {
    if (!m.at) continue;
    const double mx = axis.x(*m.at);
    out += line(
        mx, top, mx, bottom, m.colour,
        "stroke-width=\"2\"" +
            (m.dash.empty() ? std::string() : " stroke-dasharray=\"" + std::string(m.dash) + "\""));
    // Labels near an edge grow inwards, so none is cut off.
    const double share = (mx - axis.plot_x) / axis.plot_w;
    const std::string anchor = share > 0.7 ? "end" : share < 0.3 ? "start" : "middle";
    out += text(
        mx, bottom + 16 + 14 * (slot % 4), m.label + " " + format_moment(*m.at),
        "text-anchor=\"" + anchor + "\" font-size=\"11\" fill=\"" + std::string(m.colour) + "\"");
    ++slot;
  }
  return out;
}

}  // namespace

std::string timeline_svg(const TimelinePicture& t, Lang lang) {
  const bool vi = lang == Lang::Vi;
  constexpr int kWidth = 960, kRow = 30;
  const double label_w = 230, plot_x = 240, plot_w = 690, top = 40;
  const int rows = 1 + static_cast<int>(t.steps.size());
  const double plot_h = kRow * rows;
  const int height = static_cast<int>(top + plot_h + 84);
  const TimeAxis axis = time_axis(t, plot_x, plot_w);

  std::string out =
      open_svg(kWidth, height, vi ? "Dòng thời gian của hồ sơ" : "The dossier's timeline");
  out += timeline_legend(plot_x, vi);
  // Row 0: the dossier as a whole, its pauses shaded.
  const Moment whole_end = t.end.value_or(t.now);
  out +=
      text(label_w, top + 19, vi ? "Hồ sơ" : "Dossier", "text-anchor=\"end\" font-weight=\"600\"");
  out += rect(axis.x(t.received), top + 6, axis.x(whole_end) - axis.x(t.received), 18, "#9fb3d1");
  for (const Interval& p : t.pauses) {
    out += rect(axis.x(p.begin), top + 4, axis.x(std::min(p.end, axis.to)) - axis.x(p.begin), 22,
                "url(#pause)", "stroke=\"#b7791f\"");
  }
  out += step_rows(t, axis, label_w, top, kWidth, kRow, vi);
  out += timeline_markers(t, axis, top, top + plot_h, vi);
  out += text(plot_x, height - 6, (vi ? "Tiếp nhận " : "Received ") + format_moment(t.received),
              "font-size=\"11\" fill=\"" + std::string(kMuted) + "\"");
  out += "</svg>\n";
  return out;
}

}  // namespace tthc::board
