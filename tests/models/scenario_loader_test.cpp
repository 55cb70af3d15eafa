// Filled in by the loader test work.
#include <doctest/doctest.h>
