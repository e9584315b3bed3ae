//===- AST.cpp - Small helpers of the AST
//----------------------------------===//
//
// Out-of-line anchors for the polymorphic node bases and the spellings shared
// by the printer, the formatter and diagnostics.
//
//===----------------------------------------------------------------------===//
#include "AST/AST.h"

using namespace relc::ast;

Expr::~Expr() = default;
Condition::~Condition() = default;

std::string PathExpr::str() const {
  std::string out;
  for (const Name &n : parts) {
    if (!out.empty())
      out += '.';
    out += n.text;
  }
  return out;
}

std::string Value::str() const {
  switch (kind) {
  case Kind::Version:
    return version->str();
  case Kind::Named:
    return version ? name.text + " " + version->str() : name.text;
  case Kind::String:
    return "\"" + string->value + "\"";
  }
  return "";
}

llvm::StringRef CompareCondition::spelling(Op op) {
  switch (op) {
  case Op::Is:
    return "is";
  case Op::IsNot:
    return "is not";
  case Op::Eq:
    return "==";
  case Op::Ne:
    return "!=";
  case Op::Lt:
    return "<";
  case Op::Le:
    return "<=";
  case Op::Gt:
    return ">";
  case Op::Ge:
    return ">=";
  }
  return "";
}

llvm::StringRef Step::keyword(Kind kind) {
  switch (kind) {
  case Kind::Branch:
    return "git.branch";
  case Kind::Tag:
    return "git.tag";
  case Kind::Commit:
    return "git.commit";
  case Kind::Build:
    return "build";
  case Kind::Require:
    return "require";
  case Kind::Approve:
    return "approve";
  case Kind::Run:
    return "run";
  case Kind::Wait:
    return "wait until";
  case Kind::Pin:
    return "git.pin";
  case Kind::Record:
    return "record";
  }
  return "";
}

llvm::StringRef Item::keyword(Kind kind) {
  switch (kind) {
  case Kind::Compat:
    return "compat";
  case Kind::Repo:
    return "repo";
  case Kind::Channels:
    return "channels";
  case Kind::Check:
    return "check";
  case Kind::Policy:
    return "patch policy";
  case Kind::Schedule:
    return "schedule";
  case Kind::Matrix:
    return "matrix";
  case Kind::Stage:
    return "stage";
  case Kind::Overlay:
    return "overlay";
  case Kind::With:
    return "with";
  }
  return "";
}
