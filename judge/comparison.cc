#include "judge/comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace kgate {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool HigherIsBetter(const Comparison& c) { return c.spec.better == Direction::kHigherIsBetter; }

void AddNote(Comparison* c, const std::string& note) {
  c->note = c->note.empty() ? note : c->note + "; " + note;
}

}  // namespace

double Comparison::Gain() const {
  if (!std::isfinite(effect)) return 0;
  return HigherIsBetter(*this) ? effect - 1 : 1 - effect;
}

std::string Comparison::Label() const {
  return fmt::format("{}/{}/{} vs {}", scenario, metric, shape, reference);
}

std::uint64_t StableHash(const std::string& text, std::uint64_t seed) {
  std::uint64_t h = 14695981039346656037ull ^ seed;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

void Measure(const CompareOptions& options, Comparison* c) {
  c->ci_level = options.ci_level;
  c->median_arm = Median(c->arm_values);
  c->median_reference = Median(c->reference_values);
  c->effect = c->median_reference > 0 ? c->median_arm / c->median_reference : kInf;
  if (c->median_reference <= 0 && c->median_arm == c->median_reference) c->effect = 1;
  if (c->arm_values.size() < 2 || c->reference_values.size() < 2) {
    c->hl_shift = c->median_arm - c->median_reference;
    c->ci = {-kInf, kInf};
    c->p_value = 1;
    AddNote(c, fmt::format("too few ok trials to compare (n={} vs {})", c->arm_values.size(),
                           c->reference_values.size()));
    return;
  }
  c->hl_shift = HodgesLehmannShift(c->arm_values, c->reference_values);
  c->p_value = MannWhitneyU(c->arm_values, c->reference_values).p_value;
  if (c->median_reference > 0) {
    c->ci = BootstrapRatioOfMediansCi(c->arm_values, c->reference_values, options.ci_level,
                                      options.resamples, StableHash(c->Label(), options.seed));
  } else if (c->effect == 1) {
    c->ci = {1, 1};  // both medians 0: nothing moved
  } else {
    c->ci = {-kInf, kInf};
    AddNote(c, "reference median is 0: the ratio is undefined; judged on the U test alone");
  }
}

Classification Classify(const Comparison& c, double margin, double alpha) {
  if (c.arm_values.size() < 2 || c.reference_values.size() < 2) {
    return Classification::kInconclusive;
  }
  if (c.ci.low >= 1 - margin && c.ci.high <= 1 + margin) return Classification::kEquivalent;
  bool significant = c.q_value <= alpha;
  bool ratio_defined = c.median_reference > 0;
  if (!significant || (ratio_defined && c.ci.Contains(1))) return Classification::kInconclusive;
  bool up = ratio_defined ? c.effect > 1 : c.hl_shift > 0;
  return up == HigherIsBetter(c) ? Classification::kImproved : Classification::kRegressed;
}

bool Futile(const Comparison& c, double margin, int rounds_left) {
  std::size_t n = std::min(c.arm_values.size(), c.reference_values.size());
  if (c.classification != Classification::kInconclusive || n < 2 || c.median_reference <= 0 ||
      c.effect <= 0 || c.ci.low <= 0 || !std::isfinite(c.ci.high)) {
    return false;
  }
  double narrow = std::sqrt(static_cast<double>(n) / (n + std::max(0, rounds_left)));
  double center = std::log(c.effect);
  double low = std::exp(center - (center - std::log(c.ci.low)) * narrow);
  double high = std::exp(center + (std::log(c.ci.high) - center) * narrow);
  bool could_be_equivalent = low >= 1 - margin && high <= 1 + margin;
  bool could_be_significant = low > 1 || high < 1;
  return !could_be_equivalent && !could_be_significant;
}

void AdjustAndClassify(std::vector<Comparison>* comparisons, double margin, double alpha) {
  for (bool deciding : {true, false}) {
    std::vector<Comparison*> family;
    std::vector<double> p;
    for (Comparison& c : *comparisons) {
      if (c.decides != deciding) continue;
      family.push_back(&c);
      p.push_back(c.p_value);
    }
    std::vector<double> q = BenjaminiHochberg(p);
    for (std::size_t i = 0; i < family.size(); ++i) family[i]->q_value = q[i];
  }
  for (Comparison& c : *comparisons) c.classification = Classify(c, margin, alpha);
}

}  // namespace kgate
