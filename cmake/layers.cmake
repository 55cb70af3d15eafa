# The layers of the source tree and what each may include: the one table the
# build checks (cmake/check_layering.cmake). A layer is a folder; a file
# belongs to the longest folder of the table that holds it. Dependencies
# point one way:
#   cli -> classroom -> report -> experiment -> {scenario, measure} -> chain -> sim
#   python -> experiment (the Python module's bindings; docs/python.md)
# scenario and measure do not see each other. Every "#include" of a
# project header must name a layer in its file's list; <library/...>
# headers named under "forbidden" must not appear in that layer at all.
set(CHAINSIM_LAYERS
  sim
  models/chain
  models/measure
  models/scenario
  models/experiment
  models/report
  models/classroom
  cli
  python
)
set(CHAINSIM_LAYER_sim                "sim")
set(CHAINSIM_LAYER_models/chain       "sim;models/chain")
set(CHAINSIM_LAYER_models/measure     "sim;models/chain;models/measure")
set(CHAINSIM_LAYER_models/scenario    "sim;models/chain;models/scenario")
set(CHAINSIM_LAYER_models/experiment  "sim;models/chain;models/measure;models/scenario;models/experiment")
set(CHAINSIM_LAYER_models/report      "sim;models/chain;models/measure;models/scenario;models/experiment;models/report")
set(CHAINSIM_LAYER_models/classroom   "sim;models/chain;models/measure;models/scenario;models/experiment;models/report;models/classroom")
set(CHAINSIM_LAYER_cli                "sim;models/chain;models/measure;models/scenario;models/experiment;models/report;models/classroom;cli")
set(CHAINSIM_LAYER_python             "sim;models/chain;models/measure;models/scenario;models/experiment;python")
# Headers a layer keeps out: the domain never sees YAML, JSON, the command
# line or files.
set(CHAINSIM_FORBIDDEN_sim            "yaml-cpp/;nlohmann/;CLI/")
set(CHAINSIM_FORBIDDEN_models/chain   "yaml-cpp/;nlohmann/;CLI/;fstream;filesystem;cstdio")
set(CHAINSIM_FORBIDDEN_models/measure "yaml-cpp/;nlohmann/;CLI/;fstream;filesystem;cstdio")
