# tract_ui: the window. Links the renderer (tract_hsl_ui), the panels and the
# view models; never the network layer (app/ wires the two).
add_library(tract_ui STATIC
    ConversationView.h ConversationView.cpp
    ConversationAccessible.h ConversationAccessible.cpp
    ThreadListDelegate.h ThreadListDelegate.cpp
    Composer.h Composer.cpp
    RichReplyDialog.h RichReplyDialog.cpp
    FirstRunDialog.h FirstRunDialog.cpp
    MainWindow.h MainWindow.cpp)
target_include_directories(tract_ui PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(tract_ui PUBLIC tract_hsl_ui tract_panels tract_views Qt6::Widgets)
tract_target_defaults(tract_ui)
