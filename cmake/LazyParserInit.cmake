# Run as `cmake -DFILE=.../RelPlanParser.cpp -P LazyParserInit.cmake` after
# ANTLR generates the parser. ANTLR's C++ target deserialises the parser's
# ATN in a static initialiser, which every relc process paid before main
# (1.7 M instructions, a third of `relc --version`) whether it parsed or
# not. This moves that work into the parser's constructor, once per process,
# and skips the runtime's consistency check of the serialised ATN (1.3 M
# instructions): the ATN is the one the ANTLR tool wrote at build time, and
# every parse of the test suite runs on it. Fails if the generated code does
# not have the expected shape.
file(READ ${FILE} text)
set(static_init "RelPlanParser::Initializer RelPlanParser::_init;")
set(ctor "RelPlanParser::RelPlanParser(TokenStream *input) : Parser(input) {")
string(FIND "${text}" "${static_init}" at_init)
string(FIND "${text}" "${ctor}" at_ctor)
set(deserializer "atn::ATNDeserializer deserializer;")
string(FIND "${text}" "${deserializer}" at_deserializer)
if(at_init EQUAL -1 OR at_ctor EQUAL -1 OR at_deserializer EQUAL -1)
  message(FATAL_ERROR "LazyParserInit: ${FILE} is not shaped as expected")
endif()
string(REPLACE "${static_init}" "" text "${text}")
string(REPLACE "${ctor}" "${ctor}\n  static Initializer lazily; // cmake/LazyParserInit.cmake" text "${text}")
string(REPLACE "${deserializer}" "atn::ATNDeserializationOptions options;
  options.setVerifyATN(false);
  atn::ATNDeserializer deserializer(options);" text "${text}")
file(WRITE ${FILE} "${text}")
