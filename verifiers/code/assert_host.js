// JavaScript assert style of rewardkit's code verifier: the mirror of runner.py's load/call and
// tests requests. One file, two roles (argv[2]), each in a sandbox of its own:
//
// - "solution" runs the completion as a script and answers calls of its functions;
// - "tests" runs the reference's tests (node:assert) against proxies of those functions.
//
// Each role reads one JSON request per line on fd 3 and writes one reply per line on fd 4
// (runner.py's spawn/ask). Only plain data crosses, relayed by the harness: the tests' sandbox
// never holds the completion's code or objects, so a completion that rewrites `assert`,
// `process.exit` or fd 4 rewrites them in its own sandbox, where no verdict is made.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');
const assert = require('node:assert');
const { builtinModules } = require('node:module');
const { inspect } = require('node:util');

// Taken before any completion or test code runs.
const readSync = fs.readSync;
const writeSync = fs.writeSync;
const exit = process.exit.bind(process);
const { parse, stringify } = JSON;
const REQUESTS = 3;
const REPLIES = 4;
// As runner.py: deepest nesting and most values of one message.
const MAX_DEPTH = 200;
const MAX_ITEMS = 1 << 20;

let pending = Buffer.alloc(0);

function readMessage() {
  for (;;) {
    const end = pending.indexOf(10);
    if (end >= 0) {
      const line = pending.subarray(0, end).toString('utf8');
      pending = pending.subarray(end + 1);
      return parse(line);
    }
    const chunk = Buffer.alloc(1 << 16);
    const got = readSync(REQUESTS, chunk, 0, chunk.length, null);
    if (got === 0) exit(0); // the harness went away
    pending = Buffer.concat([pending, chunk.subarray(0, got)]);
  }
}

function writeMessage(message) {
  const data = Buffer.from(stringify(message) + '\n');
  for (let at = 0; at < data.length;) at += writeSync(REPLIES, data, at, data.length - at);
}

// --- the codec: plain data only, tagged where JSON has no form ---------------------------

class EncodeError extends Error {}

function encode(value, depth = 0, budget = { left: MAX_ITEMS }) {
  if (depth > MAX_DEPTH) throw new EncodeError('value nested too deeply');
  if (--budget.left < 0) throw new EncodeError('value holds too many items');
  const inner = (item) => encode(item, depth + 1, budget);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value === undefined) return { $u: 0 };
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return { $n: '-0' };
    return Number.isFinite(value) ? value : { $n: String(value) };
  }
  if (typeof value === 'bigint') return { $bi: value.toString() };
  if (Array.isArray(value)) return Array.from(value, inner);
  if (value instanceof Map) return { $m: Array.from(value, ([k, v]) => [inner(k), inner(v)]) };
  if (value instanceof Set) return { $set: Array.from(value, inner) };
  const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    return { $o: Object.keys(value).map((key) => [key, inner(value[key])]) };
  }
  throw new EncodeError(`${typeof value === 'object' ? 'an object of a class' : typeof value} ` +
    'is not plain data');
}

function decode(data, depth = 0, budget = { left: MAX_ITEMS }) {
  if (depth > MAX_DEPTH) throw new EncodeError('value nested too deeply');
  if (--budget.left < 0) throw new EncodeError('value holds too many items');
  const inner = (item) => decode(item, depth + 1, budget);
  if (data === null || ['boolean', 'number', 'string'].includes(typeof data)) return data;
  if (Array.isArray(data)) return data.map(inner);
  const keys = typeof data === 'object' ? Object.keys(data) : [];
  if (keys.length !== 1) throw new EncodeError('malformed value');
  const [tag] = keys;
  const body = data[tag];
  const pairs = () => {
    if (!Array.isArray(body) || !body.every((p) => Array.isArray(p) && p.length === 2)) {
      throw new EncodeError('malformed value');
    }
    return body;
  };
  if (tag === '$u') return undefined;
  if (tag === '$n' && ['NaN', 'Infinity', '-Infinity', '-0'].includes(body)) return Number(body);
  if (tag === '$bi' && typeof body === 'string' && /^-?\d{1,100000}$/.test(body)) {
    return BigInt(body);
  }
  if (tag === '$m') return new Map(pairs().map(([k, v]) => [inner(k), inner(v)]));
  if (tag === '$set' && Array.isArray(body)) return new Set(body.map(inner));
  if (tag === '$o') {
    const object = {};
    for (const [key, value] of pairs()) {
      if (typeof key !== 'string') throw new EncodeError('malformed value');
      Object.defineProperty(object, key, { value: inner(value), enumerable: true,
        writable: true, configurable: true });
    }
    return object;
  }
  throw new EncodeError('malformed value');
}

function describe(error) {
  let type = 'Error';
  let message = '';
  try {
    // by class, as Python's: a subclass of Error is not an Error to the tests
    const cls = error instanceof Error && error.constructor ? error.constructor.name : '';
    type = String(cls || error && error.name || typeof error).slice(0, 100);
    message = String(error && error.message !== undefined ? error.message : error).slice(0, 300);
  } catch {
    message = '<unprintable>';
  }
  return { type, message };
}

// --- the solution's sandbox -------------------------------------------------------------

const DECLARED = /(?:^|[;{}\s])(?:async\s+)?(?:function\s*\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g;
// More names a declaration may bind: the later ones of `const a = f, b = g`, and those of a
// destructuring (`const { add, sub: minus } = ...`, `const [f, g] = ...`). Candidates from the
// completion's own text only; each is kept if it names a function once the code has run.
const LATER = /,\s*([A-Za-z_$][\w$]*)\s*=(?![=>])/g;
const DESTRUCTURED = /(?:const|let|var)\s*[{[]([^}\]]{0,500})[}\]]\s*=/g;
// An import or export statement at a line's start: the completion is an ES module.
const ES_MODULE = /^[ \t]*(?:import[\s{*'"]|export\s)/m;

async function solution() {
  const request = readMessage();
  const module = { exports: {} };
  let names;
  try {
    Object.assign(globalThis, { module, exports: module.exports, require });
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const code = String(request.code);
    try {
      // a script, not a module: its top-level functions are what the tests name (MultiPL-E)
      vm.runInThisContext(code, { filename: 'solution.js' });
    } catch (error) {
      // A syntax error ran nothing. An ES module (`export function add`, `import ... from`)
      // is loaded as one, from a file of the sandbox's work folder: its exports are what the
      // tests may call.
      if (!(error instanceof SyntaxError) || !ES_MODULE.test(code)) throw error;
      fs.writeFileSync('solution.mjs', code);
      module.exports = exportsOf(await import(pathToFileURL(path.resolve('solution.mjs')).href));
    }
    const found = new Set(Object.getOwnPropertyNames(globalThis).filter((n) => !before.has(n)));
    for (const match of code.matchAll(DECLARED)) found.add(match[1]);
    for (const match of code.matchAll(LATER)) found.add(match[1]);
    for (const match of code.matchAll(DESTRUCTURED)) {
      for (const part of match[1].split(',')) {
        const name = /([A-Za-z_$][\w$]*)\s*(?:=[^,]*)?$/.exec(part.trim());
        if (name) found.add(name[1]);
      }
    }
    const exported = module.exports;
    if (exported && typeof exported === 'object') Object.keys(exported).forEach((n) => found.add(n));
    if (typeof exported === 'function' && exported.name) found.add(exported.name);
    names = [...found].filter((name) => typeof resolve(module, name) === 'function');
  } catch (error) {
    writeMessage({ ok: false, error: describe(error) });
    return;
  }
  writeMessage({ ok: true, names });
  for (;;) {
    const call = readMessage();
    let reply;
    try {
      const fn = resolve(module, String(call.name));
      let value = fn(...decode(call.args));
      if (value && typeof value.then === 'function') value = await value;
      reply = { ok: true, value: encode(value) };
    } catch (error) {
      reply = { ok: false, error: describe(error) };
    }
    writeMessage(reply);
  }
}

// An ES module's exports as a plain object; a default export that is a named function is
// also found under its name.
function exportsOf(namespace) {
  const exported = { ...namespace };
  const fallback = namespace.default;
  if (typeof fallback === 'function' && fallback.name && !(fallback.name in exported)) {
    exported[fallback.name] = fallback;
  }
  return exported;
}

function resolve(module, name) {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const exported = module.exports;
  if (typeof exported === 'function' && exported.name === name) return exported;
  if (exported && Object.prototype.hasOwnProperty.call(exported, name)) return exported[name];
  try {
    return vm.runInThisContext(`typeof ${name} === 'function' ? ${name} : undefined`);
  } catch {
    return undefined;
  }
}

// --- the tests' sandbox -----------------------------------------------------------------

// The errors a solution's may reach the tests as, by name (tests may expect a RangeError).
const ERRORS = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

class SolutionError extends Error {
  get name() { return 'SolutionError'; }
}

// Thrown when the tests pass something that is not plain data: the tests are broken.
class TestsRefused extends Error {}

// Never proxies: names the tests expect from node itself.
const RESERVED = new Set(['assert', 'require', 'module', 'exports', '__filename', '__dirname',
  ...builtinModules]);

async function tests() {
  const request = readMessage();
  let refused = null;
  const callSolution = (name, args) => {
    if (refused) throw new TestsRefused(refused);
    let message;
    try {
      message = { call: name, args: encode(args), kwargs: null };
    } catch (error) {
      refused = `the tests passed an argument the sandbox cannot take: ${error.message}`;
      throw new TestsRefused(refused);
    }
    writeMessage(message);
    const answer = readMessage();
    if (answer.ok) {
      try {
        return decode(answer.value);
      } catch {
        throw new SolutionError('the solution returned a value that is not plain data');
      }
    }
    const error = answer.error && typeof answer.error === 'object' ? answer.error : {};
    const type = String(error.type || '').slice(0, 100);
    const text = String(error.message || '').slice(0, 300);
    const Known = Object.prototype.hasOwnProperty.call(ERRORS, type) ? ERRORS[type] : null;
    throw Known ? new Known(text) : new SolutionError(`${type}: ${text}`);
  };
  for (const name of Array.isArray(request.names) ? request.names : []) {
    if (typeof name === 'string' && !(name in globalThis) && !RESERVED.has(name)) {
      const proxy = { [name]: (...args) => callSolution(name, args) }[name];
      Object.defineProperty(globalThis, name, { value: proxy, writable: true, configurable: true });
    }
  }
  let failure = null;
  process.on('unhandledRejection', (error) => { failure = failure || error; });
  // compiled first: a syntax error is the reference's fault (an error reply, not a verdict)
  const run = vm.runInThisContext('(async function (require, module, exports, __filename, ' +
    `__dirname) {${importsAsRequires(String(request.code))}\n})`, { filename: 'tests.js' });
  try {
    await run(require, { exports: {} }, {}, 'tests.js', '.');
    await new Promise((done) => setImmediate(done)); // rejections nobody awaited surface
  } catch (error) {
    failure = error;
  }
  if (refused) return verdict('error', refused);
  if (failure === null) return verdict('passed', '');
  if (failure instanceof assert.AssertionError) {
    return verdict('failed', `assertion failed${where(failure)}: ${assertion(failure)}`);
  }
  const { type, message } = describe(failure);
  return verdict('failed', `${type}: ${message}`.slice(0, 300) + where(failure));
}

// A static import of an ES module's tests (`import assert from 'node:assert'`), which cannot
// stand in the function the tests run in: the same bindings from `require`, on as many lines.
const IMPORT = /^([ \t]*)import[ \t]+(?:([A-Za-z_$][\w$]*)[ \t]*,?[ \t]*)?(?:\*[ \t]*as[ \t]+([A-Za-z_$][\w$]*)[ \t]*)?(?:\{([^}]{0,2000})\}[ \t]*)?from[ \t]*('[^'\n]*'|"[^"\n]*")[ \t]*;?|^([ \t]*)import[ \t]*('[^'\n]*'|"[^"\n]*")[ \t]*;?/gm;

function importsAsRequires(code) {
  return code.replace(IMPORT, (match, indent, name, star, named, from, bareIndent, bare) => {
    const lines = '\n'.repeat((match.match(/\n/g) || []).length);
    if (bare !== undefined) return `${bareIndent}require(${bare});${lines}`;
    const parts = [];
    if (name) parts.push(`const ${name} = require(${from});`);
    if (star) parts.push(`const ${star} = require(${from});`);
    if (named !== undefined) {
      const bindings = named.split(',').map((part) => part.trim()).filter(Boolean)
        .map((part) => part.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'));
      parts.push(`const { ${bindings.join(', ')} } = require(${from});`);
    }
    return indent + parts.join(' ') + lines;
  });
}

// What a failed assertion compared (its generated message is a multi-line diff), or its
// message's first lines.
function assertion(failure) {
  if (failure.generatedMessage && /equal/i.test(String(failure.operator))) {
    const show = (value) => inspect(value, { depth: 3, breakLength: Infinity }).slice(0, 120);
    return `got ${show(failure.actual)}, expected ${failure.operator.startsWith('not') ? 'not ' : ''}` +
      show(failure.expected);
  }
  return String(failure.message).split('\n').filter((line) => line.trim()).slice(0, 2).join(' ');
}

function verdict(kind, message) {
  writeMessage({ ok: true, done: true, verdict: kind, message: message.slice(0, 300) });
}

// ` (tests line N)`: the innermost line of the tests the error passed through.
function where(error) {
  const match = /tests\.js:(\d+)/.exec(String(error && error.stack));
  return match ? ` (tests line ${match[1]})` : '';
}

const roles = { solution, tests };
writeMessage({ ok: true, ready: true }); // booted: the harness starts the test's clock now
(roles[process.argv[2]] || (() => exit(2)))().then(
  () => exit(0),
  (error) => { writeMessage({ ok: false, error: describe(error) }); exit(1); });
