// Long-lived KaTeX renderer for the build: one process serves every formula.
//
// Protocol (JSON lines): the first line on stdin is the configuration
//   {"katex": "/abs/path/to/node_modules/katex", "options": {...}, "macros": {...}}
// answered with {"ready": true, "version": "<katex version>"}; every later line
//   {"id": 7, "tex": "...", "display": true}
// is answered, in order, with {"id": 7, "html": "..."} or
//   {"id": 7, "error": "KaTeX parse error: ...", "position": 3, "length": 8}.
// Warnings KaTeX raises in strict "warn" mode are returned as "warnings".
// Commands that need trust (\href, \url, \includegraphics, ...) are refused.
// Output longer than the configuration's "maxHtmlChars" is refused. Each reply
// is written as soon as it is ready (pipe writes are synchronous on Linux), so
// when one formula hangs, the Python side knows exactly which one and can
// stop this process without losing the replies before it.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
let katex = null;
let options = {};
let macros = {};

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let maxHtmlChars = Infinity;

function send(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

function render(request) {
  const warnings = [];
  const refused = [];
  const originalWarn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  try {
    // A fresh copy per formula: \gdef inside one formula must not leak into the next.
    const html = katex.renderToString(request.tex, {
      ...options,
      displayMode: Boolean(request.display),
      macros: { ...macros },
      // With trust off KaTeX quietly prints \href etc. in red; make that an error.
      trust: (context) => {
        refused.push(context.command);
        return false;
      },
    });
    if (refused.length) {
      return {
        id: request.id,
        error: `KaTeX parse error: ${[...new Set(refused)].join(", ")} is not allowed on this site (trust is off)`,
      };
    }
    if (html.length > maxHtmlChars) {
      return {
        id: request.id,
        error: `KaTeX parse error: the typeset formula has ${html.length} characters of HTML, over the limit of ${maxHtmlChars}`,
      };
    }
    const reply = { id: request.id, html };
    if (warnings.length) reply.warnings = warnings;
    return reply;
  } catch (err) {
    const reply = { id: request.id, error: String(err && err.message ? err.message : err) };
    if (err && typeof err.position === "number") {
      reply.position = err.position;
      reply.length = err.length ?? 0;
    }
    return reply;
  } finally {
    console.warn = originalWarn;
  }
}

lines.on("line", (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (katex === null) {
    katex = require(message.katex);
    options = message.options || {};
    macros = message.macros || {};
    maxHtmlChars = message.maxHtmlChars || Infinity;
    send({ ready: true, version: katex.version });
    return;
  }
  send(render(message));
});
