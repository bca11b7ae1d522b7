// A report's small line chart as SVG, for printing: black and greys on white, each line with its
// own dash and point mark and its name in the legend, so the chart reads in black and white.
#include "reports/document.hpp"

#include "domain/text.hpp"

#include <algorithm>
#include <cstdio>

namespace tthc::reports {

namespace {

constexpr int kWidth = 250, kHeight = 150;
constexpr double kLeft = 34, kRight = 16, kTop = 20, kBottom = 36;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

constexpr std::string_view kDashes[] = {"", "5 3", "2 2", "8 3 2 3"};
constexpr std::string_view kGreys[] = {"#000", "#555", "#333", "#777"};

std::string axes(const LineChart& c, double plot_w, double plot_h) {
  std::string out;
  for (int pct = 0; pct <= 100; pct += 50) {
    const double y = kTop + plot_h * (1 - pct / 100.0);
    out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kLeft + plot_w) +
           "\" y2=\"" + num(y) + "\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\n";
    out += "<text x=\"" + num(kLeft - 3) + "\" y=\"" + num(y + 3) + "\" text-anchor=\"end\">" +
           std::to_string(pct) + "%</text>\n";
  }
  const std::size_t n = c.categories.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double x =
        kLeft +
        (n == 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1));
    out += "<text x=\"" + num(x) + "\" y=\"" + num(kTop + plot_h + 11) +
           "\" text-anchor=\"middle\">" + escape_markup(c.categories[i]) + "</text>\n";
  }
  return out;
}

}  // namespace

std::string chart_svg(const LineChart& c) {
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) +
                    "\" height=\"" + std::to_string(kHeight) + "\" viewBox=\"0 0 " +
                    std::to_string(kWidth) + " " + std::to_string(kHeight) +
                    "\" role=\"img\" font-family=\"'Times New Roman',Times,serif\" "
                    "font-size=\"8\">\n<title>" +
                    escape_markup(c.title) + "</title>\n";
  out += "<text x=\"" + num(kWidth / 2.0) + "\" y=\"11\" text-anchor=\"middle\" " +
         "font-weight=\"bold\" font-size=\"7\">" + escape_markup(c.title) + "</text>\n";
  out += axes(c, plot_w, plot_h);
  const std::size_t n = c.categories.size();
  for (std::size_t s = 0; s < c.series.size(); ++s) {
    const auto& series = c.series[s];
    const std::string_view dash = kDashes[s % std::size(kDashes)];
    const std::string_view grey = kGreys[s % std::size(kGreys)];
    std::string points;
    std::string marks;
    for (std::size_t i = 0; i < std::min(n, series.values.size()); ++i) {
      if (!series.values[i]) continue;  // a gap: the line joins the years that have a figure
      const double x =
          kLeft +
          (n == 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1));
      const double y = kTop + plot_h * (1 - std::clamp(*series.values[i], 0.0, 1.0));
      points += (points.empty() ? "" : " ") + num(x) + "," + num(y);
      marks += s % 2 == 0
                   ? "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"2\" fill=\"" +
                         std::string(grey) + "\"/>\n"
                   : "<rect x=\"" + num(x - 2) + "\" y=\"" + num(y - 2) +
                         "\" width=\"4\" height=\"4\" fill=\"" + std::string(grey) + "\"/>\n";
    }
    out += "<polyline fill=\"none\" stroke=\"" + std::string(grey) + "\" stroke-width=\"1.2\"" +
           (dash.empty() ? std::string() : " stroke-dasharray=\"" + std::string(dash) + "\"") +
           " points=\"" + points + "\"/>\n" + marks;
    const double ly = kHeight - 12 + 9.0 * static_cast<double>(s % 2);
    const double lx = kLeft + static_cast<double>(s / 2) * 105.0;
    out += "<line x1=\"" + num(lx) + "\" y1=\"" + num(ly - 3) + "\" x2=\"" + num(lx + 14) +
           "\" y2=\"" + num(ly - 3) + "\" stroke=\"" + std::string(grey) + "\"" +
           (dash.empty() ? std::string() : " stroke-dasharray=\"" + std::string(dash) + "\"") +
           "/>\n<text x=\"" + num(lx + 17) + "\" y=\"" + num(ly) + "\">" +
           escape_markup(series.name) + "</text>\n";
  }
  return out + "</svg>";
}

}  // namespace tthc::reports
