// A fixture for the layering check: a lower layer including a higher one.
#include "models/report/outputs.h"
