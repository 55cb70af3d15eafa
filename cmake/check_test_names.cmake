# Fails when a doctest case name contains a semicolon: CMake would split it
# into two CTest entries whose filters match nothing, so the case would never
# run while CTest reports it passed.
# Run with: cmake -DTESTS_DIR=<path to tests> -P check_test_names.cmake
file(GLOB_RECURSE sources "${TESTS_DIR}/*.cpp")
set(bad "")
foreach(f IN LISTS sources)
  file(STRINGS "${f}" lines REGEX "(TEST_CASE|SCENARIO)\\(\"[^\"]*;")
  if(lines)
    list(APPEND bad "${f}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "test case names must not contain ';': ${bad}")
endif()
