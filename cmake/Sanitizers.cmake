# ASan+UBSan for the test build: applied to every target so the libraries are instrumented too.
if(TCPCONFORM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
