# Fails when a file under models/, network/ or sandbox/ includes a Qt GUI or
# Widgets header, or a header from ui/.
set(bad "")
foreach(dir models network sandbox)
    file(GLOB_RECURSE files "${ROOT}/${dir}/*.h" "${ROOT}/${dir}/*.cpp")
    foreach(f ${files})
        file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
        foreach(l ${lines})
            if(l MATCHES "<Qt(Widgets|Gui)/" OR l MATCHES "<Q(Widget|Application|MainWindow|Painter|Image|Pixmap|Font|Color|GuiApplication)>"
               OR l MATCHES "\"ui/")
                string(APPEND bad "${f}: ${l}\n")
            endif()
        endforeach()
    endforeach()
endforeach()
if(bad)
    message(FATAL_ERROR "layering violated (models/network/sandbox include GUI headers):\n${bad}")
endif()
message(STATUS "layering ok")
