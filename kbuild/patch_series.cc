#include "kbuild/patch_series.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace kgate {
namespace {

namespace fs = std::filesystem;

// Lines of a failing hunk shown in an error, before it is cut.
constexpr std::size_t kShownLines = 24;

bool IsPatchFile(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".patch" || ext == ".diff" || ext == ".mbox";
}

// "[PATCH v2 3/7] mm: foo" -> "mm: foo".
std::string BareSubject(std::string subject) {
  while (StartsWith(subject, "[")) {
    std::size_t close = subject.find(']');
    if (close == std::string::npos) break;
    subject = Trim(subject.substr(close + 1));
  }
  return subject;
}

std::string BaseCommitOf(const std::string& text) {
  static const std::regex kTrailer(R"((?:^|\n)base-commit: *([0-9a-fA-F]{7,40}))");
  std::smatch m;
  return std::regex_search(text, m, kTrailer) ? m[1].str() : "";
}

// The files an entry stands for, in series order.
Result<std::vector<std::string>> FilesOf(const std::string& entry) {
  std::error_code ec;
  if (fs::is_regular_file(entry, ec)) return std::vector<std::string>{entry};
  if (!fs::is_directory(entry, ec)) {
    return Status::BadInput(entry + ": no such patch file or folder");
  }
  std::vector<std::string> files;
  std::string series = (fs::path(entry) / "series").string();
  if (fs::is_regular_file(series, ec)) {
    KG_ASSIGN_OR_RETURN(std::string text, ReadTextFile(series));
    std::vector<std::string> lines = Split(text, '\n');
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string line = Trim(lines[i]);
      if (line.empty() || line[0] == '#') continue;
      std::string name = line.substr(0, line.find_first_of(" \t"));  // quilt allows "-p1" after it
      std::string path = (fs::path(entry) / name).string();
      if (!fs::is_regular_file(path, ec)) {
        return Status::BadInput(
            fmt::format("{}:{}: '{}' is not a file in {}", series, i + 1, name, entry));
      }
      files.push_back(path);
    }
  } else {
    for (const fs::directory_entry& e : fs::directory_iterator(entry, ec)) {
      if (e.is_regular_file() && IsPatchFile(e.path())) files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  }
  if (files.empty()) {
    return Status::BadInput(entry +
                            ": no patches in this folder (a series file, or *.patch, *.diff, "
                            "*.mbox files)");
  }
  return files;
}

std::vector<std::string> FileLines(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return {};
  std::vector<std::string> lines = Split(*text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// Fills the failing hunk's place from git's "patch failed: FILE:LINE".
void LocateHunk(const std::string& tree, const SeriesPatch& patch, ApplyFailure* f) {
  static const std::regex kFailed(R"(patch failed: (.+):([0-9]+))");
  static const std::regex kMissing(R"(error: (.+): (No such file or directory|does not exist in index))");
  std::smatch m;
  if (std::regex_search(f->git_error, m, kMissing)) {
    f->file = m[1].str();
    return;
  }
  if (!std::regex_search(f->git_error, m, kFailed)) return;
  f->file = m[1].str();
  f->line = std::stoi(m[2].str());
  for (const FileDiff& file : patch.parsed.files) {
    if (file.old_path != f->file && file.path() != f->file) continue;
    for (const Hunk& h : file.hunks) {
      if (h.old_start != f->line) continue;
      f->hunk_header = fmt::format("@@ -{},{} +{},{} @@", h.old_start, h.old_count, h.new_start,
                                   h.new_count);
      for (const DiffLine& l : h.lines) {
        if (l.kind == DiffLine::Kind::kContext) f->expected.push_back(" " + l.text);
        if (l.kind == DiffLine::Kind::kRemoved) f->expected.push_back("-" + l.text);
      }
      std::vector<std::string> lines = FileLines((fs::path(tree) / f->file).string());
      int first = std::max(h.old_start, 1) - 1;
      for (int i = first; i < first + h.old_count && i < static_cast<int>(lines.size()); ++i) {
        f->found.push_back(lines[i]);
      }
      return;
    }
  }
}

void AppendLines(const std::vector<std::string>& lines, std::string* out) {
  for (std::size_t i = 0; i < lines.size() && i < kShownLines; ++i) *out += "    | " + lines[i] + "\n";
  if (lines.size() > kShownLines) {
    *out += fmt::format("    | ... {} more line(s)\n", lines.size() - kShownLines);
  }
}

// "Name <mail>" -> {name, mail}; kgate's own identity when there is none.
std::pair<std::string, std::string> Identity(const std::string& from) {
  static const std::regex kFrom(R"re(^\s*"?([^"<]*?)"?\s*<([^>]+)>)re");
  std::smatch m;
  if (std::regex_search(from, m, kFrom) && !m[1].str().empty()) return {m[1].str(), m[2].str()};
  return {"kgate", "kgate@localhost"};
}

}  // namespace

std::string SeriesPatch::Name() const {
  std::string name = fmt::format("{} (patch {} of {}", file, index, count);
  if (!subject.empty()) name += fmt::format(", \"{}\"", subject);
  return name + ")";
}

Result<std::vector<SeriesPatch>> ExpandSeries(const std::vector<std::string>& entries) {
  std::vector<SeriesPatch> series;
  for (const std::string& entry : entries) {
    KG_ASSIGN_OR_RETURN(std::vector<std::string> files, FilesOf(entry));
    for (const std::string& file : files) {
      KG_ASSIGN_OR_RETURN(std::string text, ReadTextFile(file));
      KG_ASSIGN_OR_RETURN(PatchSet set, ParsePatchSet(text, file));
      std::string file_base = BaseCommitOf(text);  // a cover letter's trailer covers its series
      for (Patch& p : set.patches) {
        if (p.files.empty()) continue;  // a cover letter
        SeriesPatch s;
        s.file = file;
        s.subject = BareSubject(p.subject);
        s.author = p.author;
        s.base_commit = BaseCommitOf(p.text);
        if (s.base_commit.empty()) s.base_commit = file_base;
        s.parsed = std::move(p);
        series.push_back(std::move(s));
      }
    }
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    series[i].index = static_cast<int>(i) + 1;
    series[i].count = static_cast<int>(series.size());
  }
  return series;
}

std::string ApplyFailure::Describe() const {
  if (already_applied) {
    return fmt::format(
        "{} is already applied: the tree contains its change (Debian's linux-source carries "
        "backported stable fixes); drop it from the series",
        patch);
  }
  std::string out = patch + " does not apply";
  if (file.empty()) {
    out += ":\n    " + Trim(git_error) + "\n";
  } else if (hunk_header.empty() && line == 0) {
    out += fmt::format(": {} is not in the tree\n", file);
  } else {
    out += fmt::format(":\n  {}:{}: hunk {} expected:\n", file, line,
                       hunk_header.empty() ? "(not found in the patch)" : hunk_header);
    AppendLines(expected, &out);
    out += found.empty() ? "  the tree has no such lines there (the file is shorter)\n"
                         : "  the tree has there:\n";
    AppendLines(found, &out);
  }
  if (!base_commit.empty()) {
    out += fmt::format("  the patch says base-commit: {}; rebase it onto the arm's source\n",
                       base_commit);
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Result<ProcessResult> RunGit(const std::string& tree, const std::vector<std::string>& args,
                             ProcessRunner& runner, const std::string& stdin_data) {
  std::vector<std::string> argv = {"git", "-C", tree, "-c", "core.autocrlf=false",
                                   "-c", "commit.gpgsign=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.stdin_data = stdin_data;
  options.env = {{"GIT_CONFIG_NOSYSTEM", "1"},
                 {"GIT_AUTHOR_NAME", "kgate"},
                 {"GIT_AUTHOR_EMAIL", "kgate@localhost"},
                 {"GIT_COMMITTER_NAME", "kgate"},
                 {"GIT_COMMITTER_EMAIL", "kgate@localhost"},
                 {"GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z"},
                 {"GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z"}};
  return runner.Run(argv, options);
}

Result<std::optional<ApplyFailure>> CheckPatch(const std::string& tree, const SeriesPatch& patch,
                                                ProcessRunner& runner) {
  KG_ASSIGN_OR_RETURN(ProcessResult forward,
                      RunGit(tree, {"apply", "--check", "-"}, runner, patch.parsed.text));
  if (forward.success()) return std::optional<ApplyFailure>();
  ApplyFailure f;
  f.patch = patch.Name();
  f.base_commit = patch.base_commit;
  f.git_error = forward.err;
  KG_ASSIGN_OR_RETURN(ProcessResult reverse, RunGit(tree, {"apply", "--check", "--reverse", "-"},
                                                    runner, patch.parsed.text));
  if (reverse.success()) {
    f.already_applied = true;
    return std::optional<ApplyFailure>(std::move(f));
  }
  LocateHunk(tree, patch, &f);
  return std::optional<ApplyFailure>(std::move(f));
}

Status ApplySeries(const std::string& tree, const std::vector<SeriesPatch>& series,
                   ProcessRunner& runner) {
  for (const SeriesPatch& patch : series) {
    KG_ASSIGN_OR_RETURN(std::optional<ApplyFailure> failure, CheckPatch(tree, patch, runner));
    if (failure) return Status::BadInput(failure->Describe());
    KG_ASSIGN_OR_RETURN(ProcessResult apply,
                        RunGit(tree, {"apply", "--index", "-"}, runner, patch.parsed.text));
    if (!apply.success()) {
      return Status::Infrastructure(fmt::format("{}: git apply passed --check, then failed: {}",
                                                patch.Name(), Trim(apply.err)));
    }
    auto [name, mail] = Identity(patch.author);
    std::string subject = patch.subject.empty()
                              ? fmt::format("kgate: patch {} of {}: {}", patch.index, patch.count,
                                            fs::path(patch.file).filename().string())
                              : patch.subject;
    std::string message = subject;
    if (!patch.parsed.message.empty()) message += "\n\n" + patch.parsed.message;
    KG_ASSIGN_OR_RETURN(ProcessResult commit,
                        RunGit(tree,
                               {"-c", "user.name=" + name, "-c", "user.email=" + mail, "commit",
                                "-q", "--allow-empty", "--author", name + " <" + mail + ">",
                                "-F", "-"},
                               runner, message));
    if (!commit.success()) {
      return Status::Infrastructure(
          fmt::format("{}: git commit failed: {}", patch.Name(), Trim(commit.err)));
    }
  }
  return Status::Ok();
}

}  // namespace kgate
