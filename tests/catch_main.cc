// The one main() of kgate's Catch2 unit-test binaries.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
