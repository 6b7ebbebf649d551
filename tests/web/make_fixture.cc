// kgate_web_fixture OUT.db: writes the dashboard's synthetic UI fixture
// (dashboard/testing/fixture_runs.h: five judged runs of two proposals,
// made-up numbers, one proposal titled "<script>alert(1)</script>") into a
// new store at OUT.db, and closes it. Test-only: built for the browser test
// tests/e2e/dashboard_browser.sh, never installed, not a kgate subcommand.
// Exit 0 when written; 2 when OUT.db exists or cannot be created.
#include <sys/stat.h>

#include <iostream>

#include "dashboard/testing/fixture_runs.h"
#include "store/store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kgate_web_fixture OUT.db\n";
    return 2;
  }
  struct stat st {};
  if (stat(argv[1], &st) == 0) {
    std::cerr << "kgate_web_fixture: " << argv[1] << " exists; refusing to add to it\n";
    return 2;
  }
  auto store = kgate::Store::Open(argv[1]);
  if (!store.ok()) {
    std::cerr << "kgate_web_fixture: " << store.status().message() << "\n";
    return 2;
  }
  auto ids = kgate::dashboard::testing::WriteFixtureRuns(**store);
  if (!ids.ok()) {
    std::cerr << "kgate_web_fixture: " << ids.status().message() << "\n";
    return 2;
  }
  std::cout << argv[1] << ": " << ids->size() << " runs\n";
  return 0;
}
