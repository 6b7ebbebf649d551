#include "reports/svg_plot.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/check.h"

namespace kgate::svg {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at text[i], or 0 (RFC 3629
// table 3-7: the second byte's range depends on the first).
std::size_t SequenceLength(std::string_view text, std::size_t i) {
  auto at = [&](std::size_t k) -> unsigned char {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
  };
  unsigned char b0 = at(0);
  if (b0 < 0x80) return 1;
  unsigned char lo = 0x80, hi = 0xBF;
  std::size_t len = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (at(1) < lo || at(1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (!Continuation(at(k))) return 0;
  }
  return len;
}

bool ControlCharacter(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

double NiceStep(double span, int count) {
  double raw = span / std::max(count, 1);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / magnitude;
  double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return nice * magnitude;
}

std::vector<double> LinearTicks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!(hi > lo)) return ticks;
  double step = NiceStep(hi - lo, count);
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) {
    double t = k * step;
    ticks.push_back(t == 0 ? 0.0 : t);  // no -0
  }
  return ticks;
}

std::string Points(const std::vector<std::pair<double, double>>& points) {
  std::string s;
  for (const auto& [x, y] : points) {
    if (!s.empty()) s += ' ';
    s += Coord(x) + "," + Coord(y);
  }
  return s;
}

}  // namespace

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = SequenceLength(text, i);
    if (len == 0 || (len == 1 && ControlCharacter(static_cast<unsigned char>(text[i])))) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string Escape(std::string_view text) {
  std::string clean = SanitizeUtf8(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char ch : clean) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string Truncate(std::string_view text, std::size_t max_chars) {
  std::string clean = SanitizeUtf8(text);
  std::size_t chars = 0, cut = 0;
  for (std::size_t i = 0; i < clean.size(); i += SequenceLength(clean, i)) {
    if (chars + 1 == max_chars) cut = i;  // where "…" goes if the text is too long
    if (++chars > max_chars) return clean.substr(0, cut) + "\xE2\x80\xA6";
  }
  return clean;
}

std::string Coord(double x) {
  if (!std::isfinite(x)) return "0";
  std::string s = fmt::format("{:.1f}", x);
  if (s == "-0.0") return "0";
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string Fixed(double x, int digits) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", x, digits);
}

std::string TickLabel(double x) {
  if (!std::isfinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  if (x == 0) return "0";
  double a = std::fabs(x);
  if (a >= 1e6) return fmt::format("{:.4g}M", x / 1e6);
  if (a >= 1e4) return fmt::format("{:.4g}k", x / 1e3);
  return fmt::format("{:.4g}", x);
}

Scale::Scale(double d0, double d1, double r0, double r1, bool log)
    : d0_(d0), d1_(d1), r0_(r0), r1_(r1), log_(log) {}

Scale Scale::Linear(double d0, double d1, double r0, double r1) {
  KG_CHECK(std::isfinite(d0) && std::isfinite(d1)) << d0 << " " << d1;
  if (!(d0 < d1)) {
    double mid = (d0 + d1) / 2;
    d0 = mid - 0.5;
    d1 = mid + 0.5;
  }
  return Scale(d0, d1, r0, r1, false);
}

Scale Scale::Log(double d0, double d1, double r0, double r1) {
  KG_CHECK(d0 > 0 && d1 > 0 && std::isfinite(d0) && std::isfinite(d1)) << d0 << " " << d1;
  if (!(d0 < d1)) {
    double mid = std::sqrt(d0 * d1);
    d0 = mid / 1.1;
    d1 = mid * 1.1;
  }
  return Scale(d0, d1, r0, r1, true);
}

double Scale::T(double x) const {
  if (!log_) return x;
  return std::log(x > 0 ? x : d0_);
}

double Scale::operator()(double x) const {
  double t = (T(x) - T(d0_)) / (T(d1_) - T(d0_));
  return r0_ + t * (r1_ - r0_);
}

bool Scale::Contains(double x) const { return x >= d0_ && x <= d1_; }

std::vector<double> Scale::Ticks(int count) const {
  if (!log_ || d1_ / d0_ < 3) return LinearTicks(d0_, d1_, count);
  std::vector<double> ticks;
  for (int k = static_cast<int>(std::floor(std::log10(d0_)));
       k <= static_cast<int>(std::ceil(std::log10(d1_))); ++k) {
    for (double m : {1.0, 2.0, 5.0}) {
      double t = m * std::pow(10.0, k);
      if (Contains(t)) ticks.push_back(t);
    }
  }
  if (ticks.size() < 2) return LinearTicks(d0_, d1_, count);
  return ticks;
}

std::pair<double, double> NiceDomain(double lo, double hi, int count) {
  if (!(hi > lo)) {
    double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  double step = NiceStep(hi - lo, count);
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step};
}

double Jitter(std::uint64_t key) {
  std::uint64_t z = key + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53 * 2 - 1;
}

SvgWriter::SvgWriter(double width, double height, std::string_view cls, std::string_view label) {
  out_ = fmt::format(R"(<svg viewBox="0 0 {} {}" class="{}" role="img" aria-label="{}">)",
                     Coord(width), Coord(height), cls, Escape(label));
  out_ += '\n';
}

void SvgWriter::Line(double x1, double y1, double x2, double y2, std::string_view cls) {
  out_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"/>)", Coord(x1),
                      Coord(y1), Coord(x2), Coord(y2), cls);
  out_ += '\n';
}

void SvgWriter::Rect(double x, double y, double w, double h, std::string_view cls) {
  out_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>)", Coord(x),
                      Coord(y), Coord(std::max(w, 0.0)), Coord(std::max(h, 0.0)), cls);
  out_ += '\n';
}

void SvgWriter::Circle(double cx, double cy, double r, std::string_view cls,
                       std::string_view title) {
  out_ += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" class="{}")", Coord(cx), Coord(cy),
                      Coord(r), cls);
  out_ += title.empty() ? "/>\n" : fmt::format("><title>{}</title></circle>\n", Escape(title));
}

void SvgWriter::Text(double x, double y, std::string_view text, std::string_view cls,
                     std::string_view anchor, std::string_view title) {
  out_ += fmt::format(R"(<text x="{}" y="{}" class="{}" text-anchor="{}">)", Coord(x), Coord(y),
                      cls, anchor);
  if (!title.empty()) out_ += fmt::format("<title>{}</title>", Escape(title));
  out_ += Escape(text) + "</text>\n";
}

void SvgWriter::Polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view cls) {
  out_ += fmt::format(R"(<polyline points="{}" class="{}"/>)", Points(points), cls);
  out_ += '\n';
}

void SvgWriter::Polygon(const std::vector<std::pair<double, double>>& points,
                        std::string_view cls) {
  out_ += fmt::format(R"(<polygon points="{}" class="{}"/>)", Points(points), cls);
  out_ += '\n';
}

void SvgWriter::ArrowHead(double x, double y, int dir, double size, std::string_view cls) {
  double back = dir < 0 ? x + size : x - size;
  Polygon({{x, y}, {back, y - size * 0.6}, {back, y + size * 0.6}}, cls);
}

void SvgWriter::OpenGroup(std::string_view cls, std::string_view title) {
  out_ += fmt::format(R"(<g class="{}">)", cls);
  if (!title.empty()) out_ += fmt::format("<title>{}</title>", Escape(title));
  out_ += '\n';
  ++open_groups_;
}

void SvgWriter::CloseGroup() {
  KG_CHECK(open_groups_ > 0) << "CloseGroup without OpenGroup";
  --open_groups_;
  out_ += "</g>\n";
}

std::string SvgWriter::Finish() {
  KG_CHECK(open_groups_ == 0) << open_groups_ << " groups left open";
  out_ += "</svg>\n";
  return std::exchange(out_, std::string());
}

}  // namespace kgate::svg
