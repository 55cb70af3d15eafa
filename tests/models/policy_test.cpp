// Filled in by the model test work.
#include <doctest/doctest.h>
