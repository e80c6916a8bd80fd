# Tests that need a kernel with IPVS: they boot a stock Debian kernel in qemu (TCG) through
# tests/vm/run-in-vm.sh (docs/ipvs-vm.md). Label vm; `ctest -L vm` runs them.
add_executable(ipvs_probe vm/ipvs_probe.cpp)
target_link_libraries(ipvs_probe PRIVATE ka_kernel)

add_test(NAME ipvs_vm COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/vm/ipvs_vm.sh ${CMAKE_BINARY_DIR})
# qemu's TCG keeps one core busy for the whole run. Not RUN_SERIAL: run alone, the two VM
# tests added ~2 min of one idle core to CI; the labs beside them are the waiting kind (the
# four that measure the machine are RUN_SERIAL themselves, so never beside a VM). A high
# COST starts them first, beside the long interop labs.
set_tests_properties(ipvs_vm PROPERTIES LABELS vm TIMEOUT 900 COST 200)

# On this machine's kernel (no IPVS) the daemon's IPVS socket must say so plainly.
add_test(NAME ipvs_absent
         COMMAND bash -c "if [ -e /proc/net/ip_vs ]; then echo 'this kernel has IPVS'; exit 77; fi; exec $<TARGET_FILE:ipvs_probe> absent")
set_tests_properties(ipvs_absent PROPERTIES LABELS unit SKIP_RETURN_CODE 77 TIMEOUT 30)

# The kernel actor's ipvs_writer side: in the VM (present) and here (absent).
add_executable(ipvs_actor_probe vm/ipvs_actor_probe.cpp)
target_link_libraries(ipvs_actor_probe PRIVATE ka_actors)
add_test(NAME ipvs_actor_absent
         COMMAND bash -c "if [ -e /proc/net/ip_vs ]; then echo 'this kernel has IPVS'; exit 77; fi; exec $<TARGET_FILE:ipvs_actor_probe> absent")
set_tests_properties(ipvs_actor_absent PROPERTIES LABELS unit SKIP_RETURN_CODE 77 TIMEOUT 60)

# The daemon as a load balancer, end to end: its own boot (tests/vm/lb_e2e_vm.sh).
add_test(NAME lb_e2e_vm COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/vm/lb_e2e_vm.sh ${CMAKE_BINARY_DIR})
set_tests_properties(lb_e2e_vm PROPERTIES LABELS vm TIMEOUT 900 COST 210)
