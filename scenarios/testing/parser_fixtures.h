// Helpers for scenarios/*_test.cc and scenarios/*/parser_test.cc: testdata
// paths, golden outputs and hand-built ScenarioSpec values.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "config/model.h"
#include "scenarios/parsers/parser.h"
#include "base/testing/source_path.h"

namespace kgate::testing {

// A file under scenarios/ in the source tree.
inline std::string ScenarioFile(const std::string& relative) {
  return testing::SourcePath({"scenarios", relative});
}

inline std::string ReadScenarioFile(const std::string& relative) {
  Result<std::string> text = ReadTextFile(ScenarioFile(relative), 16 << 20, false);
  REQUIRE(text.ok());
  return *text;
}

inline MetricSpec Metric(const std::string& name, const std::string& unit,
                         Direction better = Direction::kLowerIsBetter,
                         MetricKind kind = MetricKind::kTime) {
  MetricSpec m;
  m.name = name;
  m.unit = unit;
  m.better = better;
  m.kind = kind;
  return m;
}

inline ScenarioSpec Spec(const std::string& name, const std::string& parser,
                         std::vector<MetricSpec> metrics) {
  ScenarioSpec spec;
  spec.name = name;
  spec.parser = parser;
  spec.metrics = std::move(metrics);
  return spec;
}

inline RepetitionOutput Output(std::string text) {
  RepetitionOutput rep;
  rep.output = std::move(text);
  return rep;
}

// The values a parser yields, as a map; REQUIREs success.
inline std::map<std::string, double> ParseOk(const std::string& parser, const std::string& text) {
  const ParserFn* fn = FindParser(parser);
  REQUIRE(fn != nullptr);
  auto values = (*fn)(ScenarioSpec{}, Output(text));
  INFO((values.ok() ? std::string() : values.status().message()));
  REQUIRE(values.ok());
  return {values->begin(), values->end()};
}

// The error message a parser returns; REQUIREs failure.
inline std::string ParseError(const std::string& parser, const std::string& text) {
  const ParserFn* fn = FindParser(parser);
  REQUIRE(fn != nullptr);
  auto values = (*fn)(ScenarioSpec{}, Output(text));
  REQUIRE_FALSE(values.ok());
  CHECK(values.status().code() == Status::Code::kBadInput);
  return values.status().message();
}

// Garbage a guest might print instead of the tool's output: every parser
// must reject each with an error, never crash.
inline std::vector<std::string> GarbageOutputs() {
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 131 + 7) % 256);
  return {"",
          "Segmentation fault (core dumped)\n",
          binary,
          std::string(100000, '{'),
          std::string(100000, '['),
          "{\"jobs\": [{\"read\": {\"iops\": NaN}}]}\n",
          "---\nmetrics: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
          std::string(1 << 20, 'x')};
}

}  // namespace kgate::testing
