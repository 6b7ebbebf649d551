// Loading scenarios/<name>/workload.yaml into a ScenarioSpec.
//
// Format (keys; * = required):
//   kgate*: 1            scenario*: <folder name>    description: text
//   tags: [..]           needs: [host binaries]      run*: command with {param}
//   params: {name: value}                            setup: [commands]
//   warmup: 1 (>= 0)     reps: 3 (>= 1)              timeout: 300 | 30s | 5m
//   parser*: <name> | regex, with regex: [{metric: m, pattern: '(capture)'}]
//   metrics*: {name: {unit*, better*: lower|higher,
//                     kind*: time|rate|latency|count|bytes,
//                     decides: true (false: stored and shown, never judged),
//                     cv: {tier: 0.11} (the metric's own measured CV)}}
//   scratch_disk: false | true | {fs: ext4, device: virtio | <storage profile>}
//   icount_shift: 0..10 (this scenario's guests; default: the run's)
//   drop_caches: false
//   determinism: {icount: {cv: 0.004, deterministic: true}, tcg: {cv: 0.2}}
// A {param} in run or setup with no value in params is an error.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/config_files.h"
#include "config/load_options.h"
#include "config/model.h"

namespace kgate {

// Loads and validates one workload.yaml. BadInput with every error found,
// one "file:line:col: message" per line.
Result<ScenarioSpec> LoadScenario(const std::string& path, ConfigFiles& files = DiskConfigFiles());

// The scenario named name under scenarios_dir. NotFound ("unknown scenario
// 'x'; did you mean 'y'?") when there is no such folder; the load's own
// errors otherwise.
Result<ScenarioSpec> FindScenario(const std::string& name, const std::string& scenarios_dir,
                                  ConfigFiles& files = DiskConfigFiles());

// Names of the folders under scenarios_dir holding a workload.yaml, sorted.
std::vector<std::string> ListScenarios(const std::string& scenarios_dir,
                                       ConfigFiles& files = DiskConfigFiles());

// "unknown scenario 'x'" with a did-you-mean over ListScenarios, or "" when
// the scenario exists.
std::string UnknownScenarioMessage(const std::string& name, const std::string& scenarios_dir,
                                   ConfigFiles& files = DiskConfigFiles());

}  // namespace kgate
