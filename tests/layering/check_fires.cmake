# Runs the layering check (CHECK) on a tree of wrong includes (FIXTURE) and
# fails unless it fails naming each of them, and nothing else.
execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${FIXTURE} -P ${CHECK}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "the layering check passed a tree of wrong includes:\n${err}")
endif()
set(expected
  "sim/domain.cpp:3: layer 'sim' may not include \"models/chain/network.h\""
  "models/chain/reads_yaml.h:5: layer 'models/chain' may not include \"models/scenario/loader.h\""
  "models/chain/reads_yaml.h:6: layer 'models/chain' may not include <yaml-cpp/yaml.h>"
  "models/measure/sideways.cpp:3: layer 'models/measure' may not include \"models/scenario/keys.h\""
  "models/scenario/upward.cpp:2: layer 'models/scenario' may not include \"models/report/outputs.h\"")
foreach(line IN LISTS expected)
  string(FIND "${err}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the layering check did not report\n  ${line}\nIt said:\n${err}")
  endif()
endforeach()
string(REGEX MATCHALL "may not include" reported "${err}")
list(LENGTH reported n)
list(LENGTH expected want)
if(NOT n EQUAL want)
  message(FATAL_ERROR "the layering check reported ${n} wrong includes, not ${want}:\n${err}")
endif()
