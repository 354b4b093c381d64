# Each area keeps its own CMakeLists.txt listing its sources, so the areas can
# grow independently; a folder without one is simply not built yet.
macro(tract_add_subdirs)
    foreach(_d ${ARGN})
        if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${_d}/CMakeLists.txt")
            add_subdirectory(${_d})
        endif()
    endforeach()
endmacro()
