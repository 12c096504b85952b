# coverage_configure_target(<target>): warnings, -Werror in CI, sanitizers.
# Set per target, PRIVATE, never directory-wide.
function(coverage_configure_target target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(COVERAGE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(COVERAGE_SANITIZE)
    target_compile_options(${target} PRIVATE
      -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
