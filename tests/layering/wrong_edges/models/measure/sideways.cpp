// A fixture for the layering check: measure and scenario do not see each other.
#include "models/measure/kpi.h"
#include "models/scenario/keys.h"
