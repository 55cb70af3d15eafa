// A fixture for the layering check: the engine knows nothing of supply chains.
#include "sim/simulator.h"
#include "models/chain/network.h"
