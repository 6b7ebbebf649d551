// The plots of the HTML report (html_reporter.cc), each an HTML fragment
// built from inline SVG (reports/svg_plot.h) and styled by the report's CSS
// classes: cls-<classification>, arm-<baseline|candidate|tuned|other>.
//
// Every string taken from the ReportData is escaped; geometry uses fixed
// formatting, so a fragment is a pure function of its input.
#pragma once

#include <string>

#include "reports/report_data.h"

namespace kgate {

// The forest plot: a table with one row (class "forest-row") per comparison,
// in stored order, each with its label, an SVG of the effect (point) and its
// CI (whisker) on a log ratio axis around 1, the +-margin band when
// d.margin is known, and the classification as a word. A CI end beyond the
// axis, or unbounded, ends in an arrow. Rows that do not decide the verdict
// carry the class "muted" and their note. Empty string without comparisons.
std::string ForestPlot(const ReportData& d);

// Strip plots of every stored sample (not per-trial medians), one SVG per
// scenario x shape x metric that is a scenario's primary metric or decided
// as improved or regressed, one row per arm, with the median marked. Dots
// are jittered vertically by a hash of the trial seq and repetition.
std::string Distributions(const ReportData& d);

// For runs with tuned arms ("tuned:<knob>=<value>"): per primary metric with
// samples on a tuned arm, the median (and interquartile range) of each
// tuned arm at categorical x positions in arm order, with the baseline
// (the default setting) and the candidate as horizontal lines. Empty string
// when the run has no tuned arm with samples.
std::string TunedSweep(const ReportData& d);

}  // namespace kgate
