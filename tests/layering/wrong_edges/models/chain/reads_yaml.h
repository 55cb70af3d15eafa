// A fixture for the layering check (tests/layering/check_fires.cmake): the
// supply chain reaching into the file formats, and into YAML itself.
#pragma once
#include "models/chain/spec.h"
#include "models/scenario/loader.h"
#include <yaml-cpp/yaml.h>
