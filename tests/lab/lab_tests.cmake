# Lab tests: routers in network namespaces (root). Each script creates uniquely named
# namespaces (prefixed with its pid) and deletes them on exit, also on failure, so labs
# can run side by side (`ctest -j`): most of their time is spent waiting for VRRP timers.
# SERIAL marks a lab that measures the machine (a flood's rate, RSS, scheduling) and
# must run alone.
# COST: the lab's seconds (measured under ASan); ctest starts the costliest first when it
# has no timing history (a clean CI checkout), so the long labs do not start last and
# become the suite's tail. Unset: 20.
function(ka_lab_test name script)
  cmake_parse_arguments(LAB "SERIAL" "COST" "ARGS;LABELS" ${ARGN})
  if(NOT LAB_COST)
    set(LAB_COST 20)
  endif()
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lab/${script} ${LAB_ARGS})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "KA_BUILD=${CMAKE_BINARY_DIR}"
    LABELS "lab;${LAB_LABELS}"
    TIMEOUT 300
    COST ${LAB_COST}
    RUN_SERIAL ${LAB_SERIAL})
endfunction()

ka_lab_test(lab_two_keepalive two_keepalive.sh)
ka_lab_test(lab_interop_pass interop.sh ARGS PASS LABELS interop COST 69)
ka_lab_test(lab_interop_none interop.sh ARGS none LABELS interop COST 61)
ka_lab_test(lab_demo demo.sh LABELS demo)
ka_lab_test(lab_faults faults.sh COST 34)
ka_lab_test(lab_notify notify.sh)
ka_lab_test(lab_admin admin.sh)
ka_lab_test(lab_cli cli.sh)
ka_lab_test(lab_admin_abuse admin_abuse.sh SERIAL COST 69)
ka_lab_test(lab_leftover leftover.sh LABELS interop COST 29)
ka_lab_test(lab_early_signal early_signal.sh)
ka_lab_test(lab_advert_thread advert_thread.sh SERIAL)
ka_lab_test(lab_many_vips many_vips.sh LABELS interop)
ka_lab_test(lab_flood flood.sh SERIAL)
ka_lab_test(lab_owners owners.sh LABELS interop)
ka_lab_test(lab_samples samples.sh COST 33)
ka_lab_test(lab_missing_interfaces missing_interfaces.sh)
ka_lab_test(lab_interop_v3 interop_v3.sh LABELS interop COST 40)
# hostile-timing: crafted adverts and floods, dropped and counted (needs python3-scapy)
ka_lab_test(lab_hostile hostile.sh SERIAL COST 46)
# Unicast VRRP.
ka_lab_test(lab_interop_unicast interop_unicast.sh LABELS interop COST 103)
ka_lab_test(lab_tracking tracking.sh LABELS interop COST 59)  # tracking
ka_lab_test(lab_routes_vmac routes_vmac.sh LABELS interop COST 57)  # routes-vmac
ka_lab_test(lab_garp_defaults garp_defaults.sh LABELS interop)  # garp counts and delays
ka_lab_test(lab_sync_fifo sync_fifo.sh LABELS interop COST 51)  # sync groups and notify FIFOs
ka_lab_test(lab_accept accept.sh LABELS interop COST 38)
ka_lab_test(lab_mixed_three_v2 mixed_three.sh ARGS ka kd ka 2 LABELS interop COST 42)  # two Keepalives, one keepalived
ka_lab_test(lab_mixed_three_v3 mixed_three.sh ARGS kd ka kd 3 LABELS interop COST 41)  # one Keepalive, two keepalived
ka_lab_test(lab_sync_track sync_track.sh LABELS interop COST 64)  # tracking on sync groups
ka_lab_test(lab_script_user script_user.sh LABELS interop COST 32)  # whom scripts run as
ka_lab_test(lab_vmac vmac.sh LABELS interop COST 171)  # use_vmac
ka_lab_test(lab_vmac_addr vmac_addr.sh LABELS interop COST 65)  # use_vmac on addresses, use_vmac_addr
ka_lab_test(lab_prio_answers prio_answers.sh LABELS interop COST 45)  # a master's answers to lower / higher priority adverts
ka_lab_test(lab_garp_spacing garp_spacing.sh)  # vrrp_garp_interval, vrrp_gna_interval, garp_group
ka_lab_test(lab_checks_http checks_http.sh LABELS checks COST 45)
ka_lab_test(lab_checks_tcp_smtp checks_tcp_smtp.sh LABELS checks COST 30)
ka_lab_test(lab_probes_b probes_b.sh LABELS checks)  # DNS, UDP, PING, MISC, FILE checks
ka_lab_test(lab_supervise supervise.sh LABELS interop COST 30)  # supervision: actors restarted, nothing else moves
ka_lab_test(lab_dump_files dump_files.sh LABELS interop COST 25)
ka_lab_test(lab_smtp_alert smtp_alert.sh LABELS interop COST 28)
ka_lab_test(lab_probe_module probe_module.sh LABELS checks COST 20)  # the probes as a module: loaded only with checkers
# Type=notify, -S/--log-facility and the unit file (tests/lab/systemd.sh).
ka_lab_test(lab_systemd systemd.sh COST 15)
# The Debian package: build, install beside keepalived, purge (a lock keeps runs apart).
ka_lab_test(lab_deb_package deb_package.sh COST 45)
ka_lab_test(lab_admin_cmds admin_cmds.sh COST 40)  # admin commands, watch, check, completion
ka_lab_test(lab_metrics metrics.sh COST 35)  # metrics_listen: promtool, a real Prometheus, hostile HTTP clients
ka_lab_test(lab_reload reload.sh LABELS interop COST 30)  # hitless reload (SIGHUP, keepalivectl reload)
