# Build conventions shared by every Parley target.
option(PARLEY_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(PARLEY_STATIC "Link executables fully static (Lambda bootstrap)" OFF)
# Relocating libstdc++, OpenSSL and Boost at every exec costs a served process about half its
# start-up time and resident memory; linked from archives they cost neither. glibc stays shared.
option(PARLEY_STATIC_DEPS "Link dependencies and libstdc++ statically, glibc shared" OFF)
option(PARLEY_TESTS "Build tests" ON)

add_library(parley_flags INTERFACE)
target_compile_options(parley_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Werror)
target_compile_definitions(parley_flags INTERFACE
  BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O3 flags `"literal" + std::string` as an overlapping memcpy (GCC bug 105651).
  target_compile_options(parley_flags INTERFACE -Wno-restrict)
endif()
if(PARLEY_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(parley_flags INTERFACE ${_san})
  target_compile_definitions(parley_flags INTERFACE _GLIBCXX_ASSERTIONS)
  target_link_options(parley_flags INTERFACE ${_san})
endif()
if(PARLEY_STATIC_DEPS AND NOT PARLEY_STATIC)
  target_link_options(parley_flags INTERFACE -static-libstdc++ -static-libgcc)
endif()
if(PARLEY_STATIC)
  # Unreferenced functions and data are dropped at link time: the zipped bootstrap has to stay
  # under the 5 MB budget of tools/package/package.sh.
  target_compile_options(parley_flags INTERFACE -ffunction-sections -fdata-sections)
  target_link_options(parley_flags INTERFACE -static -Wl,--gc-sections)
endif()

# parley_add_module(<name> DEPS <targets...>)
# One static library per module from src/<dir>/*.cpp; public headers live in include/parley/<dir>/.
function(parley_add_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(parley_${name} STATIC ${_sources})
  add_library(parley::${name} ALIAS parley_${name})
  target_include_directories(parley_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(parley_${name} PUBLIC ${ARG_DEPS} PRIVATE parley_flags)
endfunction()

# parley_add_test(<name> DEPS <targets...>): one gtest binary from tests/<dir>/*_test.cpp.
function(parley_add_test name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_executable(${name}_test ${_sources})
  target_include_directories(${name}_test PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} parley_testing GTest::gtest GTest::gmock
    GTest::gtest_main parley_flags)
  # One ctest per binary: a process per test case costs more than the tests themselves under ASan.
  add_test(NAME ${name} COMMAND ${name}_test --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES TIMEOUT 600)
endfunction()

# spdlog and fmt header-only everywhere: Debian ships them only as shared libraries, and the
# Lambda bootstrap links fully static.
add_library(parley_spdlog INTERFACE)
target_compile_definitions(parley_spdlog INTERFACE SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY)
target_link_libraries(parley_spdlog INTERFACE Threads::Threads)
