# Warnings and sanitizers for project targets only (never for Qt's own headers,
# which are included as system headers by the Qt targets).
function(tract_target_defaults target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(TRACT_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(TRACT_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()
