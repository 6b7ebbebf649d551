// Building blocks for the inline SVG plots kgate draws into HTML: escaping,
// scales, axis ticks, deterministic jitter and a small SVG element writer.
//
// Nothing here knows about runs or comparisons, so the HTML report and the
// dashboard's trend charts share one geometry. Every number written into
// markup goes through fixed formatting (Coord, TickLabel), so the same data
// always yields byte-identical SVG, which golden tests rely on.
//
// Elements are written without an xmlns attribute: they are meant to be
// inlined in an HTML document, where the parser puts <svg> in the SVG
// namespace by itself (a standalone .svg file would need the xmlns).
// Styling is by class name only; the embedding document's CSS gives the
// colours, so a plot prints and themes with its page.
//
// All functions are pure and thread-safe; an SvgWriter is a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kgate::svg {

// text as valid UTF-8: each byte that does not start a well-formed UTF-8
// sequence (overlong forms, surrogates and code points above U+10FFFF
// included), and each C0 control other than tab, newline and carriage
// return, and DEL, becomes U+FFFD. Guest consoles carry such bytes.
std::string SanitizeUtf8(std::string_view text);

// SanitizeUtf8(text) with & < > " ' written as entities: safe as HTML or
// SVG text and inside a quoted attribute value.
std::string Escape(std::string_view text);

// SanitizeUtf8(text) cut to at most max_chars code points; a cut text ends
// in "…" (which counts as one of them). Not escaped.
std::string Truncate(std::string_view text, std::size_t max_chars);

// A coordinate with one decimal ("12.5", "0", "-3.2"); never "-0" or an
// exponent. Non-finite values become "0" (callers clip before drawing).
std::string Coord(double x);

// x with `digits` decimals ("0.8800"); non-finite values as "inf", "-inf",
// "nan". For numbers shown as text (an effect, a CI end), not coordinates.
std::string Fixed(double x, int digits);

// A tick label with at most 4 significant digits and no trailing zeros:
// 0.95 -> "0.95", 1200 -> "1200", 15000 -> "15k", 2500000 -> "2.5M".
std::string TickLabel(double x);

// Maps a domain [d0, d1] linearly (or linearly in log(x)) onto a range
// [r0, r1]; the range may run backwards (SVG's y axis grows downwards).
class Scale {
 public:
  // Requires d0 < d1 (a degenerate domain is widened by +-0.5, or by a
  // factor of 1.1 for a log scale). Log scales require 0 < d0.
  static Scale Linear(double d0, double d1, double r0, double r1);
  static Scale Log(double d0, double d1, double r0, double r1);

  // The range position of x; outside the domain it extrapolates. For a log
  // scale, x <= 0 maps as the lower domain end.
  double operator()(double x) const;
  // Whether x lies in the domain (ends included); false for NaN.
  bool Contains(double x) const;
  double low() const { return d0_; }
  double high() const { return d1_; }
  bool log() const { return log_; }

  // About `count` round values inside the domain, ascending. Linear: steps
  // of 1, 2 or 5 x 10^k. Log: the same when the domain spans less than a
  // factor of 3, else 1, 2, 5 x 10^k (so ratios keep 0.5, 1, 2).
  std::vector<double> Ticks(int count) const;

 private:
  Scale(double d0, double d1, double r0, double r1, bool log);
  double T(double x) const;  // x in the scale's linear space
  double d0_, d1_, r0_, r1_;
  bool log_;
};

// [lo, hi] widened outwards to multiples of a 1-2-5 step giving about
// `count` ticks; a degenerate interval is widened around its value first.
std::pair<double, double> NiceDomain(double lo, double hi, int count);

// A deterministic value in [-1, 1] for key (SplitMix64): spreads strip-plot
// dots the same way every time, without a random generator.
double Jitter(std::uint64_t key);

// Writes one <svg> element. Every method escapes the text it is given;
// `cls` is a CSS class list written verbatim and must come from code, not
// from data. Coordinates are user units of the viewBox.
class SvgWriter {
 public:
  // <svg viewBox="0 0 width height" class=cls role="img" aria-label=label>.
  SvgWriter(double width, double height, std::string_view cls, std::string_view label);

  void Line(double x1, double y1, double x2, double y2, std::string_view cls);
  void Rect(double x, double y, double w, double h, std::string_view cls);
  // title, when not empty, becomes a tooltip (<title> child).
  void Circle(double cx, double cy, double r, std::string_view cls, std::string_view title = {});
  // anchor: "start", "middle" or "end".
  void Text(double x, double y, std::string_view text, std::string_view cls,
            std::string_view anchor = "start", std::string_view title = {});
  void Polyline(const std::vector<std::pair<double, double>>& points, std::string_view cls);
  void Polygon(const std::vector<std::pair<double, double>>& points, std::string_view cls);
  // A filled arrow head whose tip is at (x, y), pointing left (dir < 0) or right.
  void ArrowHead(double x, double y, int dir, double size, std::string_view cls);
  // A group with a tooltip; every Open needs a Close before Finish.
  void OpenGroup(std::string_view cls, std::string_view title = {});
  void CloseGroup();

  // The complete element; the writer is left empty.
  std::string Finish();

 private:
  std::string out_;
  int open_groups_ = 0;
};

}  // namespace kgate::svg
