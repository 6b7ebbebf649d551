#include "reports/html_plots.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "base/strings.h"
#include "judge/stats.h"
#include "reports/svg_plot.h"

namespace kgate {
namespace {

using svg::Escape;
using svg::Fixed;

// Forest rows: each row is its own SVG of this viewBox, so the table can
// wrap long labels in HTML while every row shares one ratio axis.
constexpr double kForestWidth = 400, kForestRowHeight = 22;
constexpr double kForestLeft = 14, kForestRight = 386;
// Ratios beyond these never widen the axis; they end in an arrow instead.
constexpr double kMinRatio = 1.0 / 16, kMaxRatio = 16;

// Strip and sweep plots.
constexpr double kPlotWidth = 900;
constexpr double kStripLeft = 200, kStripRight = 740, kStripRow = 26, kStripTop = 8;
constexpr double kSweepLeft = 80, kSweepRight = 640, kSweepTop = 24, kSweepBottom = 210;
constexpr std::size_t kMaxLabelChars = 28;

std::string ClassificationClass(Classification c) {
  return std::string("cls-") + ClassificationName(c);
}

std::string ArmClass(const std::string& arm) {
  if (arm == "baseline" || arm == "candidate") return "arm-" + arm;
  return StartsWith(arm, "tuned:") ? "arm-tuned" : "arm-other";
}

std::string Better(const std::string& better) {
  if (better == "lower" || better == "higher") return better + " is better";
  return "";
}

// ---- forest plot ----

svg::Scale ForestScale(const ReportData& d) {
  double lo = 0.95, hi = 1.05;  // at least +-5 % around 1
  auto take = [&](double x) {
    if (!std::isfinite(x) || x <= 0) return;
    lo = std::min(lo, std::max(x, kMinRatio));
    hi = std::max(hi, std::min(x, kMaxRatio));
  };
  for (const ComparisonRecord& c : d.comparisons) {
    take(c.effect);
    take(c.ci_low);
    take(c.ci_high);
  }
  if (d.margin) {
    take(1 - *d.margin);
    take(1 + *d.margin);
  }
  double pad = (std::log(hi) - std::log(lo)) * 0.06;
  return svg::Scale::Log(lo * std::exp(-pad), hi * std::exp(pad), kForestLeft, kForestRight);
}

void ForestGrid(const svg::Scale& x, const std::vector<double>& ticks,
                std::optional<double> margin, svg::SvgWriter* w) {
  if (margin && *margin > 0) {
    double a = x(std::max(1 - *margin, x.low())), b = x(std::min(1 + *margin, x.high()));
    w->Rect(a, 0, b - a, kForestRowHeight, "band");
  }
  for (double t : ticks) w->Line(x(t), 0, x(t), kForestRowHeight, "grid");
  w->Line(x(1), 0, x(1), kForestRowHeight, "unity");
}

std::string ForestAxis(const svg::Scale& x, const std::vector<double>& ticks) {
  svg::SvgWriter w(kForestWidth, kForestRowHeight, "forest axis", "ratio axis");
  for (double t : ticks) {
    w.Text(x(t), 13, svg::TickLabel(t), "tick", "middle");
    w.Line(x(t), 16, x(t), kForestRowHeight, "grid");
  }
  return w.Finish();
}

std::string ForestRowSvg(const ComparisonRecord& c, const svg::Scale& x,
                         const std::vector<double>& ticks, std::optional<double> margin) {
  svg::SvgWriter w(kForestWidth, kForestRowHeight, "forest",
                   fmt::format("effect {} CI {} to {}", Fixed(c.effect, 4), Fixed(c.ci_low, 4),
                               Fixed(c.ci_high, 4)));
  ForestGrid(x, ticks, margin, &w);
  const double mid = kForestRowHeight / 2;
  if (!std::isnan(c.ci_low) && !std::isnan(c.ci_high)) {
    // NaN-safe: a non-positive or infinite low end is "beyond the axis".
    bool clip_low = !(c.ci_low >= x.low()), clip_high = !(c.ci_high <= x.high());
    const double edge_low = 10, edge_high = kForestWidth - 10;
    double a = clip_low ? edge_low : std::min(x(c.ci_low), edge_high);
    double b = clip_high ? edge_high : std::max(x(c.ci_high), edge_low);
    w.Line(a, mid, b, mid, "ci");
    if (clip_low) {
      w.ArrowHead(3, mid, -1, 7, "arrow");
    } else {
      w.Line(a, mid - 4, a, mid + 4, "ci");
    }
    if (clip_high) {
      w.ArrowHead(kForestWidth - 3, mid, 1, 7, "arrow");
    } else {
      w.Line(b, mid - 4, b, mid + 4, "ci");
    }
  }
  if (std::isfinite(c.effect) && c.effect > 0) {
    double px = std::clamp(x(c.effect), kForestLeft, kForestRight);
    w.Circle(px, mid, 4.5, "pt");
  }
  return w.Finish();
}

std::string CoveragePercent(double level) {
  std::string pct = fmt::format("{:.1f}", level * 100);
  if (pct.size() > 2 && pct.compare(pct.size() - 2, 2, ".0") == 0) pct.resize(pct.size() - 2);
  return pct + "%";
}

std::string ForestResult(const ComparisonRecord& c, bool show_level) {
  std::string change =
      std::isfinite(c.effect) ? fmt::format(" ({:+.1f}%)", (c.effect - 1) * 100) : "";
  std::string sub = fmt::format("q={} · n={}/{}", Fixed(c.q_value, 4), c.n_arm, c.n_reference);
  std::string better = Better(c.better);
  if (!better.empty()) sub += " · " + better;
  if (show_level) sub += " · " + CoveragePercent(c.ci_level) + " CI";
  return fmt::format(
      "<span class=\"word\">{}</span> ×{}{} <span class=\"ci\">[{}, {}]</span><br>"
      "<span class=\"sub\">{}</span>",
      ClassificationName(c.classification), Fixed(c.effect, 4),
      change, Fixed(c.ci_low, 4), Fixed(c.ci_high, 4), sub);
}

std::string ForestRow(const ComparisonRecord& c, const svg::Scale& x,
                      const std::vector<double>& ticks, std::optional<double> margin,
                      bool show_level) {
  std::string label = fmt::format(
      "<b>{}</b> · {}<br><span class=\"sub\">{} · {} vs {}{}</span>", Escape(c.scenario),
      Escape(c.metric), Escape(c.shape), Escape(c.arm), Escape(c.reference),
      c.role == "target" ? " · target" : "");
  if (!c.decides) {
    label += fmt::format("<br><span class=\"note\">does not decide{}{}</span>",
                         c.note.empty() ? "" : ": ", Escape(c.note));
  } else if (!c.note.empty()) {
    label += fmt::format("<br><span class=\"note\">{}</span>", Escape(c.note));
  }
  return fmt::format(
      "<tr class=\"forest-row {}{}\"><td class=\"label\">{}</td><td class=\"plot\">{}</td>"
      "<td class=\"result\">{}</td></tr>\n",
      ClassificationClass(c.classification), c.decides ? "" : " muted", label,
      ForestRowSvg(c, x, ticks, margin), ForestResult(c, show_level));
}

// ---- sample groups ----

struct Group {
  std::string scenario, shape, metric;
  bool operator==(const Group& o) const {
    return scenario == o.scenario && shape == o.shape && metric == o.metric;
  }
};

// Groups in order of first comparison: primary metrics, and (unless
// primary_only) metrics decided as improved or regressed.
std::vector<Group> PlottedGroups(const ReportData& d, bool primary_only) {
  std::vector<Group> groups;
  for (const ComparisonRecord& c : d.comparisons) {
    bool decided = c.decides && (c.classification == Classification::kImproved ||
                                 c.classification == Classification::kRegressed);
    if (!c.primary && (primary_only || !decided)) continue;
    Group g{c.scenario, c.shape, c.metric};
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  }
  return groups;
}

struct ArmSeries {
  std::string arm;
  std::vector<const SampleRow*> samples;
  std::vector<std::string> trial_statuses;  // of the group's trials without samples
  std::vector<double> Values() const {
    std::vector<double> v;
    for (const SampleRow* s : samples) {
      if (std::isfinite(s->sample.value)) v.push_back(s->sample.value);
    }
    return v;
  }
};

// Arms in the run's order (then any arm only the samples name) that have
// samples or trials in the group's scenario and shape.
std::vector<ArmSeries> SeriesOf(const ReportData& d, const Group& g) {
  std::vector<ArmSeries> series;
  auto find = [&](const std::string& arm) -> ArmSeries& {
    for (ArmSeries& s : series) {
      if (s.arm == arm) return s;
    }
    return series.emplace_back(ArmSeries{arm, {}, {}});
  };
  for (const ArmRecord& a : d.arms) find(a.name);
  for (const SampleRow& s : d.samples) {
    if (s.scenario == g.scenario && s.shape == g.shape && s.sample.metric == g.metric) {
      find(s.arm).samples.push_back(&s);
    }
  }
  for (const TrialRecord& t : d.trials) {
    if (t.scenario != g.scenario || t.shape != g.shape) continue;
    ArmSeries& s = find(t.arm);
    if (s.samples.empty()) s.trial_statuses.push_back(TrialStatusName(t.status));
  }
  series.erase(std::remove_if(series.begin(), series.end(),
                              [](const ArmSeries& s) {
                                return s.samples.empty() && s.trial_statuses.empty();
                              }),
               series.end());
  return series;
}

// Unit and direction of the group's metric, from its first sample.
std::string AxisCaption(const Group& g, const std::vector<ArmSeries>& series) {
  for (const ArmSeries& s : series) {
    if (s.samples.empty()) continue;
    const SampleRecord& r = s.samples.front()->sample;
    std::string caption = g.metric;
    if (!r.unit.empty()) caption += " (" + r.unit + ")";
    std::string better = Better(r.better);
    if (!better.empty()) caption += ", " + better;
    return caption;
  }
  return g.metric;
}

std::string GroupTitle(const Group& g) {
  return fmt::format("{} · {} · {}", Escape(g.scenario), Escape(g.metric), Escape(g.shape));
}

// The q-quantile of sorted values, interpolated linearly (R's type 7).
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  double h = (sorted.size() - 1) * q;
  std::size_t i = static_cast<std::size_t>(std::floor(h));
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}

std::pair<double, double> ValueRange(const std::vector<ArmSeries>& series) {
  double lo = INFINITY, hi = -INFINITY;
  for (const ArmSeries& s : series) {
    for (double v : s.Values()) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  return {lo, hi};
}

void ArmLabel(svg::SvgWriter* w, double x, double y, const std::string& arm,
              std::string_view anchor) {
  std::string shown = svg::Truncate(arm, kMaxLabelChars);
  w->Text(x, y, shown, "arm-label", anchor, shown == arm ? "" : arm);
}

// ---- strip plot ----

std::string StripPlot(const Group& g, const std::vector<ArmSeries>& series) {
  auto [lo, hi] = ValueRange(series);
  auto [d0, d1] = svg::NiceDomain(lo, hi, 6);
  svg::Scale x = svg::Scale::Linear(d0, d1, kStripLeft, kStripRight);
  const double axis_y = kStripTop + kStripRow * series.size() + 4;
  svg::SvgWriter w(kPlotWidth, axis_y + 34, "strip",
                   fmt::format("every sample of {} {} {} per arm", g.scenario, g.metric, g.shape));
  for (double t : x.Ticks(6)) {
    w.Line(x(t), kStripTop, x(t), axis_y, "grid");
    w.Text(x(t), axis_y + 13, svg::TickLabel(t), "tick", "middle");
  }
  w.Text((kStripLeft + kStripRight) / 2, axis_y + 29, AxisCaption(g, series), "caption", "middle");
  for (std::size_t i = 0; i < series.size(); ++i) {
    const ArmSeries& s = series[i];
    double y0 = kStripTop + kStripRow * (i + 0.5);
    ArmLabel(&w, kStripLeft - 10, y0 + 4, s.arm, "end");
    if (s.samples.empty()) {
      w.Text(kStripLeft, y0 + 4,
             fmt::format("no samples ({} trial(s): {})", s.trial_statuses.size(),
                         Join(s.trial_statuses, ", ")),
             "empty");
      continue;
    }
    std::string cls = "dot " + ArmClass(s.arm);
    for (std::size_t k = 0; k < s.samples.size(); ++k) {
      const SampleRow& r = *s.samples[k];
      if (!std::isfinite(r.sample.value)) continue;
      double jitter = svg::Jitter((static_cast<std::uint64_t>(r.seq) << 24) ^
                                  static_cast<std::uint64_t>(r.sample.repetition) ^
                                  (static_cast<std::uint64_t>(k) << 44));
      w.Circle(x(r.sample.value), y0 + jitter * 7, 3, cls,
               fmt::format("trial {} rep {}: {}", r.seq, r.sample.repetition,
                           svg::TickLabel(r.sample.value)));
    }
    std::vector<double> values = s.Values();
    double median = Median(values);
    w.Line(x(median), y0 - 10, x(median), y0 + 10, "median " + ArmClass(s.arm));
    w.Text(kStripRight + 12, y0 + 4,
           fmt::format("median {} · n={}", svg::TickLabel(median), values.size()), "stat");
  }
  return w.Finish();
}

// ---- tuned sweep ----

bool HasTunedSamples(const std::vector<ArmSeries>& series) {
  for (const ArmSeries& s : series) {
    if (StartsWith(s.arm, "tuned:") && !s.Values().empty()) return true;
  }
  return false;
}

// A horizontal reference line across the plot, labelled at its right end.
void ReferenceLine(svg::SvgWriter* w, const svg::Scale& y, const ArmSeries* s,
                   const std::string& what, double label_dy) {
  if (s == nullptr || s->Values().empty()) return;
  double m = Median(s->Values());
  w->Line(kSweepLeft, y(m), kSweepRight, y(m), "ref " + ArmClass(s->arm));
  w->Text(kSweepRight + 8, y(m) + 4 + label_dy,
          fmt::format("{}: median {}", what, svg::TickLabel(m)), "stat " + ArmClass(s->arm));
}

std::string SweepPlot(const Group& g, const std::vector<ArmSeries>& series) {
  const ArmSeries *baseline = nullptr, *candidate = nullptr;
  std::vector<const ArmSeries*> tuned;
  for (const ArmSeries& s : series) {
    if (s.arm == "baseline") baseline = &s;
    if (s.arm == "candidate") candidate = &s;
    if (StartsWith(s.arm, "tuned:")) tuned.push_back(&s);
  }
  double lo = INFINITY, hi = -INFINITY;
  for (const ArmSeries& s : series) {
    std::vector<double> v = s.Values();
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    bool whisker = StartsWith(s.arm, "tuned:");
    lo = std::min(lo, whisker ? Quantile(v, 0.25) : Median(v));
    hi = std::max(hi, whisker ? Quantile(v, 0.75) : Median(v));
  }
  auto [d0, d1] = svg::NiceDomain(lo, hi, 5);
  svg::Scale y = svg::Scale::Linear(d0, d1, kSweepBottom, kSweepTop);
  svg::SvgWriter w(kPlotWidth, kSweepBottom + 48, "sweep",
                   fmt::format("tuned sweep of {} {} {}", g.scenario, g.metric, g.shape));
  w.Text(kSweepLeft, 12, AxisCaption(g, series), "caption");
  for (double t : y.Ticks(5)) {
    w.Line(kSweepLeft, y(t), kSweepRight, y(t), "grid");
    w.Text(kSweepLeft - 6, y(t) + 4, svg::TickLabel(t), "tick", "end");
  }
  // Keep the two line labels apart when the medians are close.
  double yb = baseline && !baseline->Values().empty() ? y(Median(baseline->Values())) : 0;
  double yc = candidate && !candidate->Values().empty() ? y(Median(candidate->Values())) : 0;
  double nudge = std::abs(yb - yc) < 14 ? (14 - std::abs(yb - yc)) / 2 : 0;
  ReferenceLine(&w, y, baseline, "default (baseline)", yb <= yc ? -nudge : nudge);
  ReferenceLine(&w, y, candidate, "candidate", yc < yb ? -nudge : nudge);

  double step = (kSweepRight - kSweepLeft) / tuned.size();
  auto position = [&](std::size_t i) { return kSweepLeft + step * (i + 0.5); };
  std::vector<std::pair<double, double>> line;  // drawn first, under the points
  for (std::size_t i = 0; i < tuned.size(); ++i) {
    if (!tuned[i]->Values().empty()) line.emplace_back(position(i), y(Median(tuned[i]->Values())));
  }
  if (line.size() > 1) w.Polyline(line, "sweep-line arm-tuned");
  for (std::size_t i = 0; i < tuned.size(); ++i) {
    double px = position(i);
    std::string setting = tuned[i]->arm.substr(std::string("tuned:").size());
    std::string shown = svg::Truncate(setting, 24);
    w.Text(px, kSweepBottom + 16, shown, "tick", "middle", shown == setting ? "" : setting);
    std::vector<double> v = tuned[i]->Values();
    if (v.empty()) {
      w.Text(px, kSweepBottom - 6, "no samples", "empty", "middle");
      continue;
    }
    std::sort(v.begin(), v.end());
    double m = Median(v);
    w.Line(px, y(Quantile(v, 0.25)), px, y(Quantile(v, 0.75)), "iqr arm-tuned");
    w.Circle(px, y(m), 4.5, "pt arm-tuned",
             fmt::format("{}: median {}, n={}", tuned[i]->arm, svg::TickLabel(m), v.size()));
  }
  w.Text((kSweepLeft + kSweepRight) / 2, kSweepBottom + 38, "tuned setting (categorical)",
         "caption", "middle");
  return w.Finish();
}

}  // namespace

std::string CiLabel(const std::vector<ComparisonRecord>& comparisons) {
  if (comparisons.empty()) return "CI";
  double level = comparisons.front().ci_level;
  for (const ComparisonRecord& c : comparisons) {
    if (std::abs(c.ci_level - level) > 1e-9) return "CI";
  }
  return CoveragePercent(level) + " CI";
}

std::string ForestPlot(const ReportData& d) {
  if (d.comparisons.empty()) return "";
  svg::Scale x = ForestScale(d);
  std::vector<double> ticks = x.Ticks(5);
  std::string html = fmt::format(
      "<table class=\"forest\">\n<thead><tr><th>comparison</th><th class=\"plot\">{}</th>"
      "<th>result</th></tr></thead>\n<tbody>\n",
      ForestAxis(x, ticks));
  std::string ci = CiLabel(d.comparisons);
  bool mixed = ci == "CI";
  for (const ComparisonRecord& c : d.comparisons) {
    html += ForestRow(c, x, ticks, d.margin, mixed);
  }
  html += fmt::format(
      "</tbody>\n</table>\n<p class=\"legend\">Point: ratio of medians, arm / reference, "
      "on a log axis; whisker: its {} (an arrow marks an end beyond the axis or unbounded). ",
      mixed ? "confidence interval, whose coverage each row states" : ci);
  if (d.margin) {
    html += fmt::format("Shaded band: the ±{}% equivalence margin of policy {}. ",
                        Fixed(*d.margin * 100, 1), Escape(d.verdict ? d.verdict->policy : ""));
  } else {
    html += "No margin band: the verdict's policy could not be loaded to read its margin. ";
  }
  html += "Faded rows do not decide the verdict.</p>\n";
  return html;
}

std::string Distributions(const ReportData& d) {
  std::string html;
  for (const Group& g : PlottedGroups(d, false)) {
    std::vector<ArmSeries> series = SeriesOf(d, g);
    html += fmt::format("<figure class=\"plot\">\n<figcaption>{}</figcaption>\n", GroupTitle(g));
    auto [lo, hi] = ValueRange(series);
    html += lo <= hi ? StripPlot(g, series) : "<p class=\"empty\">No samples stored.</p>\n";
    html += "</figure>\n";
  }
  return html;
}

std::string TunedSweep(const ReportData& d) {
  std::string html;
  for (const Group& g : PlottedGroups(d, true)) {
    std::vector<ArmSeries> series = SeriesOf(d, g);
    if (!HasTunedSamples(series)) continue;
    html += fmt::format("<figure class=\"plot\">\n<figcaption>{}</figcaption>\n{}</figure>\n",
                        GroupTitle(g), SweepPlot(g, series));
  }
  return html;
}

}  // namespace kgate
