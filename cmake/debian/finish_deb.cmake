# CPACK_POST_BUILD_SCRIPTS: finish each .deb cpack made (finish_deb.sh says how).
foreach(file IN LISTS CPACK_PACKAGE_FILES)
  if(file MATCHES "\\.deb$")
    execute_process(COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/finish_deb.sh ${file} ${CPACK_PACKAGE_DIRECTORY}
                    RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      file(REMOVE ${file})  # so that no unfinished package is copied out
      message(FATAL_ERROR "finishing ${file} failed")
    endif()
  endif()
endforeach()
