// Runs search.js under node against an index on disk, as the Rust tests in
// client_tests.rs ask: `node node_check.js <search dir> <checks.json>`.
// Checks: {"fold": [{text, terms}], "queries": [{q, filters, first, has, lacks, total,
// anchor, excerpt, title}]}. Prints one line per failure and a closing count.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [dir, checksFile] = process.argv.slice(2);
const context = { console, URL, setTimeout, clearTimeout };
context.window = context;
context.document = { currentScript: null, readyState: 'loading', addEventListener() {} };
vm.createContext(context);
const run = (file) => vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
run(path.join(dir, 'search.js'));
const api = context.spiegelSearch;
const loaded = [];
api.loadScript = (src) => {
  loaded.push(path.relative(dir, src));
  run(src);
  return Promise.resolve();
};
api.root = dir + path.sep;

const checks = JSON.parse(fs.readFileSync(checksFile, 'utf8'));
let passed = 0;
let failed = 0;
const expect = (ok, what) => {
  if (ok) passed++;
  else { failed++; console.log(`FAIL ${what}`); }
};

(async () => {
  for (const { text, terms } of checks.fold || []) {
    const got = await api.terms(text);
    expect(JSON.stringify(got) === JSON.stringify(terms), `fold ${JSON.stringify(text)}: got ${JSON.stringify(got)}, want ${JSON.stringify(terms)}`);
  }
  for (const c of checks.queries || []) {
    const results = await api.query(c.q, c.filters || {});
    const urls = results.map((r) => r.url);
    const what = `query ${JSON.stringify(c.q)} ${JSON.stringify(c.filters || {})} -> ${JSON.stringify(urls)}`;
    if (c.first !== undefined) expect(urls[0] === c.first, `${what}: first should be ${c.first}`);
    for (const url of c.has || []) expect(urls.includes(url), `${what}: should include ${url}`);
    for (const url of c.lacks || []) expect(!urls.includes(url), `${what}: should not include ${url}`);
    if (c.total !== undefined) expect(results.total === c.total, `${what}: total ${results.total}, want ${c.total}`);
    if (c.before) expect(urls.indexOf(c.before[0]) >= 0 && urls.indexOf(c.before[0]) < urls.indexOf(c.before[1]), `${what}: ${c.before[0]} should rank above ${c.before[1]}`);
    if (c.anchor !== undefined) expect(results[0] && results[0].anchor === c.anchor, `${what}: anchor ${results[0] && results[0].anchor}, want ${c.anchor}`);
    if (c.excerpt) expect(results[0] && results[0].excerpt.includes(c.excerpt), `${what}: excerpt ${results[0] && results[0].excerpt} lacks ${c.excerpt}`);
    if (c.kindLabel) expect(results[0] && results[0].kindLabel === c.kindLabel, `${what}: kind label ${results[0] && results[0].kindLabel}`);
  }
  console.log(`loaded: ${[...new Set(loaded)].join(' ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((err) => {
  console.log(`FAIL ${err.stack}`);
  process.exit(1);
});
