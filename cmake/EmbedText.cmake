# cmake -DINPUT=file -DOUTPUT=file.inc -P EmbedText.cmake
# Writes INPUT as one C++ raw string literal, to be #included as the
# initializer of a char array.
file(READ "${INPUT}" text)
set(delimiter "relc_embedded")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains )${delimiter}\"; change the delimiter in ${CMAKE_CURRENT_LIST_FILE}")
endif()
file(WRITE "${OUTPUT}" "R\"${delimiter}(${text})${delimiter}\"\n")
