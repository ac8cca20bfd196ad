# Checks that the libraries below the command layer neither speak nor act
# on the process: no object in them references the standard streams, the
# printing shortcuts, exit, signals, or process creation. Only cd_cmd does.
# Run by ctest:
#   cmake -DNM=<nm> -DLIBS="<lib.a>;<lib.a>..." -P symbols.cmake
set(forbidden stderr stdout stdin printf puts perror exit _exit _Exit
    quick_exit abort fork vfork system popen posix_spawn posix_spawnp execv
    execve execvp execl execlp execle signal sigaction raise kill)
list(JOIN forbidden "|" alternatives)
set(found "")
foreach(lib ${LIBS})
  execute_process(COMMAND ${NM} -A -u ${lib} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} -u ${lib} failed (${rc}): ${err}")
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  foreach(line ${lines})
    if(line MATCHES "^([^ ]+):[ \t]+U (${alternatives})$")
      string(APPEND found "  ${CMAKE_MATCH_1} references ${CMAKE_MATCH_2}\n")
    endif()
  endforeach()
endforeach()
if(found)
  message(FATAL_ERROR "library code below the command layer speaks or "
          "acts on the process (only sim/cmd/ may):\n${found}")
endif()
list(LENGTH LIBS n)
message(STATUS "symbols: none of the ${n} libraries below cmd references "
        "the streams, exit, signals or fork")
