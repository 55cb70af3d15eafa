// Filled in by the CLI test work.
#include <doctest/doctest.h>
