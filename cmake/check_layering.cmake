# Fails when any file under SIM_DIR includes a header from models/.
# Run with: cmake -DSIM_DIR=<path to sim> -P check_layering.cmake
file(GLOB_RECURSE sim_files "${SIM_DIR}/*.h" "${SIM_DIR}/*.cpp")
set(offenders "")
foreach(f IN LISTS sim_files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]models/")
  if(lines)
    list(APPEND offenders "${f}: ${lines}")
  endif()
endforeach()
if(offenders)
  list(JOIN offenders "\n  " msg)
  message(FATAL_ERROR "sim/ must not include models/ (the engine is domain-free):\n  ${msg}")
endif()
