# Lab tests: routers in network namespaces (root). Each script creates uniquely named
# namespaces and deletes them on exit, also on failure.
function(ka_lab_test name script)
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lab/${script})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "KA_BUILD=${CMAKE_BINARY_DIR}"
    LABELS "lab;${ARGN}"
    TIMEOUT 300
    RUN_SERIAL TRUE)
endfunction()

ka_lab_test(lab_two_keepalive two_keepalive.sh asan)
