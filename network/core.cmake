# The console's network layer, one library per job so each area's dependencies stay
# visible: tract_client (TRACT API calls), tract_secrets (keychain), tract_listener
# (webhook listener), tract_registration (hook registration), tract_outbox
# (outgoing queue).
# tract_network is all of them.
add_library(tract_network INTERFACE)
tract_add_subdirs(auth client secrets listener registration outbox hub)
