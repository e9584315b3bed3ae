// RelPlan.g4: the grammar of relc release plans (*.relplan).
//
// No actions and no semantic predicates, so SLL prediction is exact: relc
// parses with SLL first and only reparses with full LL when SLL fails.
// docs/language.md is the reference for what each construct means; this file
// only says what is well formed. Token names avoid C macros (EOF, NULL, ...).
grammar RelPlan;

// ---------------------------------------------------------------- files ----

planFile
  : importDecl* unitDecl EOF
  ;

importDecl
  : K_IMPORT STRING ';'
  ;

// A condition on its own: a rule of a compatibility model (docs/compat-model.md).
conditionText
  : condition EOF
  ;

unitDecl
  : K_PROJECT name '{' item* '}'                      # projectUnit
  | K_RELEASE name version '{' item* '}'              # releaseUnit
  ;

// Project and release files share one set of items; which items each may
// hold, and how a release overrides its project, is checked by Sema.
item
  : K_COMPAT STRING ';'                               # compatItem
  // `repo { ... }` is the main repository; `repo builder { ... }` another
  // one the project drives (docs/language.md, "Several repositories").
  | K_REPO name? '{' setting* '}'                     # repoItem
  | K_CHANNELS name ('>' name)* channelsBody          # channelsItem
  | K_CHECK name '=' name '(' (arg (',' arg)*)? ')' ';'  # checkItem
  | K_PATCH K_POLICY '{' setting* '}'                 # policyItem
  | K_SCHEDULE '{' scheduleEntry* '}'                 # scheduleItem
  | K_MATRIX name (K_FROM name)? '{' matrixEntry* '}' # matrixItem
  | K_STAGE name stageParams? stageTrigger* '{' step* '}'  # stageItem
  | K_OVERLAY name STRING '{' overlayEntry* '}'       # overlayItem
  // `with pytorch 2.4.0;`: a release of another project this one goes with.
  | K_WITH name version ';'                           # withItem
  ;

// -------------------------------------------------------------- settings ---

// `remote "origin";`, `only_latest_minor;`, `categories a, b, c;`
setting
  : name (expr (',' expr)*)? ';'
  ;

arg
  : name ':' expr
  ;

// ------------------------------------------------------------- channels ----

channelsBody
  : ';'
  | '{' (channelException | channelTarget)* '}'
  ;

// `test { index "https://..."; upload "s3://bucket/whl/test/"; role "arn:..."; }`
channelTarget
  : name '{' setting* '}'
  ;

// `allow accel rocm 7.1 in release "kept for users of 2.13";`
channelException
  : K_ALLOW name value K_IN name STRING? ';'
  ;

// ------------------------------------------------------------- schedule ----

scheduleEntry
  : K_PATCH version K_ON expr ';'                     # patchEntry
  | name expr ';'                                     # milestoneEntry
  ;

// --------------------------------------------------------------- matrix ----

matrixEntry
  : K_PIN name version ';'                            # pinEntry
  | K_EXCLUDE condition (K_WHERE condition)? ';'      # excludeEntry
  | K_INCLUDE binding (',' binding)* (K_WHERE condition)? ';'  # includeEntry
  | name APPEND? axisValue (',' axisValue)* ';'       # axisEntry
  // `build_name = "manywheel-py{python|underscores}-{accel.tag}" where ...;`
  | name ASSIGN expr (K_WHERE condition)? ';'         # fieldEntry
  // `recipe build where platform is macos-arm64 { runner "macos-14"; ... }`,
  // `recipe test none where platform is macos-arm64;`
  | K_RECIPE name name? (K_WHERE condition)? recipeBody  # recipeEntry
  ;

recipeBody
  : ';'
  | '{' setting* '}'
  ;

// `3.8 .. 3.12`, `cuda 12.4 (cudnn 9.1.0.70) experimental`, `linux-x86_64`
axisValue
  : value (RANGE value)? pins? attribute*
  ;

pins
  : '(' pin (',' pin)* ')'
  ;

pin
  : name version
  ;

attribute
  : name ('(' (expr (',' expr)*)? ')')?
  ;

binding
  : name value pins? attribute*
  ;

// A matrix value: a version, a name, a name with a version (`cuda 12.1`) or
// a string.
value
  : version                                           # versionValue
  | name version?                                     # namedValue
  | STRING                                            # stringValue
  ;

condition
  : conjunction (K_OR conjunction)*
  ;

conjunction
  : negation (K_AND negation)*
  ;

negation
  : K_NOT negation                                    # notCondition
  | '(' condition ')'                                 # parenCondition
  | qualifiedName comparator value                    # compareCondition
  | name K_IN '[' value (',' value)* ']'              # inCondition
  ;

// `cut`, `release`; or a name of a release this one goes with:
// `pytorch.rc` (a stage), `pytorch.release` (its version in a condition).
qualifiedName
  : name ('.' name)?
  ;

comparator
  : K_IS K_NOT? | '==' | '!=' | '<' | '<=' | '>' | '>='
  ;

// --------------------------------------------------------------- stages ----

stageParams
  : '(' name (',' name)* ')'
  ;

stageTrigger
  : K_ON expr                                         # onTrigger
  | K_AFTER qualifiedName (',' qualifiedName)*        # afterTrigger
  ;

// `build wheels channel test;`: the channel is read as the build's first
// option and taken out of the options by the Transformer. A clause of its own,
// `(K_CHANNEL name)?`, made every such step ambiguous with an option named
// `channel` (a name is also an expr), which SLL prediction cannot settle: each
// cost a full-context (LL) prediction (test/unit/Syntax/ParserHealthTest.cpp).
step
  : K_GIT_BRANCH expr K_FROM expr stepOption* ';'              # branchStep
  | K_GIT_TAG expr K_ON expr stepOption* ';'                   # tagStep
  | K_GIT_COMMIT expr '=' expr K_ON expr stepOption* ';'       # commitStep
  | K_GIT_PIN expr '=' expr K_ON expr stepOption* ';'          # pinStep
  | K_RECORD name '=' expr K_ON expr stepOption* ';'           # recordStep
  | K_BUILD name stepOption* ';'                               # buildStep
  | K_REQUIRE name (',' name)* ';'                             # requireStep
  | K_APPROVE STRING stepOption* ';'                           # approveStep
  | K_RUN STRING stepOption* ';'                               # runStep
  | K_WAIT K_UNTIL expr stepOption* ';'                        # waitStep
  ;

// Flags (`once`, `annotated`) and valued options (`timeout 2h`,
// `env { TARGET: "s3" }`, `message "..."`); Sema knows which step takes which.
stepOption
  : K_ONCE                                            # onceOption
  | K_ANNOTATED                                       # annotatedOption
  | name expr                                         # namedOption
  ;

// -------------------------------------------------------------- overlays ---

// `runs-on = "linux.12xlarge";`, `env.USE_CUDA = "1";`, `steps += [ ... ];`
// and `allow excessive-permissions "why";`: an edit relc's policy refuses
// unless the overlay says why (`allow` is also a key: the token after it
// tells them apart).
overlayEntry
  : key ('.' key)* (ASSIGN | APPEND) expr ';'         # overlaySet
  | K_ALLOW name STRING ';'                           # overlayAllow
  ;

key
  : name
  | STRING
  ;

// ---------------------------------------------------------- expressions ----

// Date arithmetic (`branch_cut + 2w`) is the only arithmetic.
expr
  : term (('+' | '-') term)* (RANGE term)?
  ;

term
  : STRING                                            # stringTerm
  | DATE                                              # dateTerm
  | DURATION                                          # durationTerm
  | SIZE                                              # sizeTerm
  | version                                           # versionTerm
  | name ('.' name)*                                  # pathTerm
  | '[' (expr (',' expr)* ','?)? ']'                  # listTerm
  | object                                            # objectTerm
  | '(' expr ')'                                      # parenTerm
  ;

object
  : '{' (field (',' field)* ','?)? '}'
  ;

field
  : key ':' expr
  ;

version
  : VERSION
  | INT
  ;

// Keywords that only open an item or a step may still name things where a
// name is expected (a schedule milestone called `release`, an argument
// called `from`, a path such as `patch.categories`).
name
  : IDENT
  | K_RELEASE | K_PROJECT | K_PATCH | K_POLICY | K_SCHEDULE | K_REPO
  | K_CHANNEL | K_CHANNELS | K_COMPAT | K_MATRIX | K_CHECK | K_STAGE
  | K_FROM | K_IN | K_ON | K_AFTER | K_UNTIL | K_BUILD | K_RUN | K_WAIT
  | K_APPROVE | K_REQUIRE | K_OVERLAY | K_ALLOW | K_IMPORT | K_RECIPE
  | K_WITH | K_RECORD
  ;

// ---------------------------------------------------------------- lexer ----

K_IMPORT   : 'import';
K_PROJECT  : 'project';
K_RELEASE  : 'release';
K_COMPAT   : 'compat';
K_REPO     : 'repo';
K_CHANNELS : 'channels';
K_CHANNEL  : 'channel';
K_CHECK    : 'check';
K_PATCH    : 'patch';
K_POLICY   : 'policy';
K_SCHEDULE : 'schedule';
K_MATRIX   : 'matrix';
K_STAGE    : 'stage';
K_OVERLAY  : 'overlay';
K_ALLOW    : 'allow';
K_PIN      : 'pin';
K_EXCLUDE  : 'exclude';
K_INCLUDE  : 'include';
K_WHERE    : 'where';
K_AND      : 'and';
K_OR       : 'or';
K_NOT      : 'not';
K_IS       : 'is';
K_IN       : 'in';
K_ON       : 'on';
K_AFTER    : 'after';
K_FROM     : 'from';
K_UNTIL    : 'until';
K_ONCE     : 'once';
K_ANNOTATED : 'annotated';
K_BUILD    : 'build';
K_REQUIRE  : 'require';
K_APPROVE  : 'approve';
K_RUN      : 'run';
K_WAIT     : 'wait';
K_GIT_BRANCH : 'git.branch';
K_GIT_TAG    : 'git.tag';
K_GIT_COMMIT : 'git.commit';
K_RECIPE   : 'recipe';
K_WITH     : 'with';
K_GIT_PIN  : 'git.pin';
K_RECORD   : 'record';

RANGE  : '..';
ASSIGN : '=';
APPEND : '+=';

// 2024-06-10. Longer than any INT or VERSION prefix, so it wins.
DATE : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;

// 1 GiB, 1.5GiB, 500 MB.
SIZE : DIGITS ('.' DIGITS)? [ \t]* ('B' | 'KB' | 'MB' | 'GB' | 'TB' | 'KiB' | 'MiB' | 'GiB' | 'TiB') ;

// 3d, 2w, 12h, 30m, 45s.
DURATION : DIGITS [wdhms] ;

// A bare number; where a version is expected it is one (`max_per_minor 2`).
INT : DIGITS ;

// PEP 440 in its common spellings, plus an optional `t` for free-threaded
// Python builds (`3.13t`). Exact validation is Version::parse's job.
VERSION
  : (DIGITS '!')? DIGITS ('.' DIGITS)*
    ([.\-_]? PRE_TAG [.\-_]? DIGITS?)?
    ([.\-_]? 'post' [.\-_]? DIGITS?)?
    ([.\-_]? 'dev' [.\-_]? DIGITS?)?
    ('+' [a-zA-Z0-9]+ ([.\-_] [a-zA-Z0-9]+)*)?
    't'?
  ;

fragment PRE_TAG : 'a' | 'b' | 'rc' | 'c' | 'alpha' | 'beta' | 'pre' | 'preview' ;

// Platform names carry hyphens (`linux-x86_64`), so `a-b` is one name;
// subtraction needs spaces around `-`.
IDENT : [a-zA-Z_] [a-zA-Z0-9_]* ('-' [a-zA-Z0-9_]+)* ;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;

// Lexical errors get their own tokens, so relc can say what is wrong and
// where it started instead of reporting a stray character.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ('\\')? ;

LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* ;

WS : [ \t\r\n\f]+ -> skip ;

fragment DIGIT  : [0-9] ;
fragment DIGITS : DIGIT+ ;

// Punctuation used only as literals in parser rules.
SEMI : ';' ;
LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;
COLON : ':' ;
DOT : '.' ;
PLUS : '+' ;
MINUS : '-' ;
EQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;

// Anything else is one bad character; relc reports it and stops. Last, so
// every rule above wins over it.
BAD_CHAR : . ;
