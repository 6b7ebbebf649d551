#include "judge/adaptive.h"

#include <algorithm>

namespace kgate {

std::vector<int> LookRounds(int min_rounds, int max_rounds, int looks) {
  max_rounds = std::max(min_rounds, max_rounds);
  looks = std::max(1, std::min(looks, max_rounds - min_rounds + 1));
  if (looks == 1) return {min_rounds};  // a fixed sample: the planned rounds
  std::vector<int> rounds;
  for (int k = 0; k < looks; ++k) {
    int r = min_rounds + (max_rounds - min_rounds) * k / (looks - 1);
    if (rounds.empty() || rounds.back() != r) rounds.push_back(r);
  }
  return rounds;
}

double AlphaPerLook(double alpha, int looks) { return alpha / std::max(1, looks); }

}  // namespace kgate
