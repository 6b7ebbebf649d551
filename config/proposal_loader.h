// Loading a proposal (the v1 format, docs/formats.md) into a Proposal.
//
// Beyond the per-key checks of YamlReader, a proposal is checked against
// the tree it names: every scenario exists (scenarios: may name suites as
// "suite:<name>", expanded here, duplicates dropped in first-seen order),
// targets are among the scenarios, each claim names one of the proposal's
// scenarios and a metric that scenario declares, claim ids are unique, the
// policy exists and is itself valid, and the files an arm names (agent
// source, modules, patches, path: kernels) exist. Relative paths resolve
// against the proposal's folder and are stored resolved.
//
// Errors of the referenced scenario, suite and policy files are reported
// with their own file:line:col.
//
// Defaults: no shapes -> one Shape() (1 vCPU, 512M); tier auto; runs
// {min: 5, max: 15}, and with only min given, max = max(min, 15); no
// targets -> every scenario is a guard; policy mainline; candidate and
// baseline each need their own `kernel`.
#pragma once

#include <string>

#include "base/status.h"
#include "config/load_options.h"
#include "config/model.h"

namespace kgate {

// Loads and validates path. BadInput with every error found, one
// "file:line:col: message" per line.
Result<Proposal> LoadProposal(const std::string& path,
                              const LoadOptions& options = LoadOptions::Default());
// The same for text already read (a run's stored proposal); path names it
// in errors and its folder resolves relative paths.
Result<Proposal> LoadProposalText(const std::string& text, const std::string& path,
                                  const LoadOptions& options = LoadOptions::Default());

}  // namespace kgate
