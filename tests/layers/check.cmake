# Checks that the build enforces the layers: a models-layer file may
# include lower layers' headers (downward.c builds) but not a command-layer
# header (upward.c fails, for want of that header). Run by ctest:
#   cmake -DBUILD=<build dir> -P check.cmake
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD}
                        --target layer_probe_down
                RESULT_VARIABLE down OUTPUT_VARIABLE out_down
                ERROR_VARIABLE out_down)
if(NOT down EQUAL 0)
  message(FATAL_ERROR "the downward include does not build:\n${out_down}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD}
                        --target layer_probe_up
                RESULT_VARIABLE up OUTPUT_VARIABLE out_up
                ERROR_VARIABLE out_up)
if(up EQUAL 0)
  message(FATAL_ERROR "an upward include (models -> cmd) built")
endif()
if(NOT out_up MATCHES "cmd/cli.h")
  message(FATAL_ERROR "the upward include failed, but not for its header:\n${out_up}")
endif()
message(STATUS "layers: the upward include fails, the downward one builds")
