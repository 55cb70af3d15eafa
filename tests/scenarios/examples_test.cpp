// Example scenarios: schema, golden summaries.
#include <doctest/doctest.h>
