# Runs one golden case: the first line of CASE is "$ knots ARGS…" ("$ knots" alone for none), or
# "$ COLUMNS=N knots ARGS…" for a width other than 80, or "$ COLUMNS= knots ARGS…" for COLUMNS
# unset (as in a pipe to awk: listings one line per entry); an optional "[stdin]" block follows; the rest
# is the expected exit code, stdout and stderr. With UPDATE=1 (or the environment variable
# KNOTS_UPDATE_GOLDEN=1) the file is rewritten with the actual output.
# Usage: cmake -DKNOTS=<binary> -DCASE=<file> -DWORKDIR=<dir> -DCACHE=<dir> [-DNO_CACHE=1] [-DUPDATE=1]
#        -P run_golden.cmake
file(READ ${CASE} expected)
string(REGEX MATCH "^\\$ (COLUMNS=([0-9]*) )?knots( ([^\n]*))?\n" header "${expected}")
set(columns_env COLUMNS=80)
if(CMAKE_MATCH_2)
  set(columns_env COLUMNS=${CMAKE_MATCH_2})
elseif(CMAKE_MATCH_1)
  set(columns_env --unset=COLUMNS)
endif()
separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_4}")
set(input_opts)
if(expected MATCHES "^[^\n]*\n\\[stdin\\]\n(.*)\n\\[end stdin\\]\n")
  set(stdin "${CMAKE_MATCH_1}\n")
  string(APPEND header "[stdin]\n${stdin}[end stdin]\n")
  get_filename_component(name ${CASE} NAME_WE)
  set(input ${CMAKE_CURRENT_BINARY_DIR}/golden-${name}.stdin)
  file(WRITE ${input} "${stdin}")
  set(input_opts INPUT_FILE ${input})
endif()
set(cache_env --unset=KNOTS_NO_CACHE)
if(NO_CACHE)
  set(cache_env KNOTS_NO_CACHE=1)
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env --unset=NO_COLOR --unset=KNOTS_PATH ${cache_env} ${columns_env} TERM=dumb
          XDG_DATA_HOME=/nonexistent/knots-golden XDG_CACHE_HOME=${CACHE}
          ${KNOTS} ${args}
  WORKING_DIRECTORY ${WORKDIR}
  ${input_opts}
  RESULT_VARIABLE code
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
# The cache folder lives in the build tree, which differs from machine to machine.
string(REPLACE "${CACHE}" "<cache>" out "${out}")
string(REPLACE "${CACHE}" "<cache>" err "${err}")
set(actual "${header}[exit ${code}]\n[stdout]\n${out}[stderr]\n${err}")
if(UPDATE OR "$ENV{KNOTS_UPDATE_GOLDEN}")
  file(WRITE ${CASE} "${actual}")
elseif(NOT actual STREQUAL expected)
  file(WRITE ${CASE}.actual "${actual}")
  execute_process(COMMAND diff -u ${CASE} ${CASE}.actual)
  file(REMOVE ${CASE}.actual)
  message(FATAL_ERROR "golden output differs: ${CASE} (rerun with UPDATE=1 to accept)")
endif()
