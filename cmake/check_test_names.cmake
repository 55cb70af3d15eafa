# Fails when a doctest case name contains a semicolon or a square bracket:
# CMake would split it into two CTest entries whose filters match nothing (a
# ';'), or stop splitting the list of names after it (an unbalanced '[' or
# ']'), so cases would never run while CTest reports them passed, or fail to
# register.
# Run with: cmake -DTESTS_DIR=<path to tests> -P check_test_names.cmake
file(GLOB_RECURSE sources "${TESTS_DIR}/*.cpp")
set(bad "")
foreach(f IN LISTS sources)
  file(STRINGS "${f}" lines REGEX "(TEST_CASE|SCENARIO)\\(\"[^\"]*[];[]")
  if(lines)
    list(APPEND bad "${f}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "test case names must not contain ';', '[' or ']': ${bad}")
endif()
