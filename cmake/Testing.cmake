# tcpconform_add_test(NAME SOURCES... LIBS ... LABEL unit|property|kernel): one GoogleTest binary,
# its tests discovered individually so ctest reports each behaviour.
function(tcpconform_add_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main tcpconform::warnings)
  gtest_discover_tests(${name}
    PROPERTIES LABELS ${ARG_LABEL}
    DISCOVERY_TIMEOUT 60
    EXTRA_ARGS --gtest_brief=1)
endfunction()
