# One interface target carrying the project's warning flags; every target links it.
add_library(tcpconform_warnings INTERFACE)
target_compile_options(tcpconform_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wswitch
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(TCPCONFORM_WERROR)
  target_compile_options(tcpconform_warnings INTERFACE -Werror)
endif()
add_library(tcpconform::warnings ALIAS tcpconform_warnings)
