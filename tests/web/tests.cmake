# Browser tests of the dashboard (tests/web/README.md): CTest `web_dashboard`,
# label `browser`. Needs node, Debian's chromium and a built web/dist with its
# npm packages (scripts/build-web.sh); when one is missing the test FAILS with a
# message saying so, it never skips.
find_program(HEADROOM_NODE node)
if(HEADROOM_NODE)
  add_test(NAME web_dashboard
           COMMAND ${HEADROOM_NODE} ${CMAKE_SOURCE_DIR}/tests/web/dashboard.test.mjs
                   --headroom $<TARGET_FILE:headroom> --web ${CMAKE_SOURCE_DIR}/web/dist
                   --artifacts ${CMAKE_BINARY_DIR}/web-artifacts)
else()
  add_test(NAME web_dashboard
           COMMAND sh -c "echo 'web_dashboard: node not found: run scripts/setup.sh, then scripts/build-web.sh' >&2; exit 1")
endif()
set_tests_properties(web_dashboard PROPERTIES LABELS browser TIMEOUT 300)
