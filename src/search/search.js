/* spiegel search client. A classic script, like the index parts it loads through <script src>
   (each calls spiegelSearch.add(key, data)): file:// pages may not fetch(). See src/search/. */
(() => {
  'use strict';
  const DIGIT = Object.fromEntries([...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_'].map((c, i) => [c, i]));
  const PAGE = 10; // results per page
  const SPAN = 2; // shards one word loads: its own, and the next for longer words it starts
  const TYPO = 0.5; // weight of a word one edit away
  const MARKS = /\p{M}/gu, SPLIT = /[^\p{Alphabetic}\p{N}]+/u, NUMBER = /^\p{N}+$/u, WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  const own = document.currentScript;
  const registered = new Map(), indexes = new Map();
  let slash = false; // whether '/' is bound (to the first search field)

  // Fold and split exactly like tokenize.rs, with the rules from the entry file.
  const fold = (text, rules) => {
    const s = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
    return rules.re ? s.replace(rules.re, (c) => rules.letters[c]) : s;
  };
  const terms = (text, rules) => fold(text, rules).split(SPLIT).filter((w) => {
    const n = [...w].length;
    return n <= rules.max && (n >= rules.min || (n > 0 && NUMBER.test(w)));
  });
  const esc = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

  // Base-32 numbers; digits 32-63 mean "more digits follow".
  const numbers = (text) => {
    const out = [];
    let v = 0;
    for (const c of text) {
      v = v * 32 + (DIGIT[c] & 31);
      if (DIGIT[c] < 32) { out.push(v); v = 0; }
    }
    return out;
  };
  const ascending = (text) => { let id = -1; return numbers(text).map((gap) => (id += gap + 1)); };

  // Posting list: groups of level (then drop - 1), count - 1, gaps between doc ids.
  function postings(text, each) {
    const n = numbers(text);
    for (let i = 0, level = -1; i < n.length;) {
      level = level < 0 ? n[i] : level - n[i] - 1;
      let count = n[i + 1] + 1, doc = -1;
      for (i += 2; count--;) each((doc += n[i++] + 1), level);
    }
  }

  // Records "<shared prefix length><rest of term> <postings>", comma separated.
  function parseShard(text) {
    const shard = { terms: [], posts: [] };
    let term = '';
    for (const record of text ? text.split(',') : []) {
      const space = record.indexOf(' ');
      term = term.slice(0, DIGIT[record[0]]) + record.slice(1, space);
      shard.terms.push(term);
      shard.posts.push(record.slice(space + 1));
    }
    return shard;
  }

  // A shard's file is named by its boundary: UTF-8 bytes in hex, '0' for the first (shard.rs).
  const hex = (c) => { const u = encodeURIComponent(c); return u[0] === '%' ? u.replace(/%/g, '').toLowerCase() : c.charCodeAt(0).toString(16).padStart(2, '0'); };
  const shardName = (boundary) => (boundary ? [...boundary].map(hex).join('') : '0');

  function prepareEntry(e) {
    const letters = Object.keys(e.fold.letters).join('');
    e.fold.re = letters && new RegExp(`[${letters}]`, 'gu');
    e.stopSet = new Set(e.stop.split(' '));
    e.kindIndex = new Map(e.kinds.map((k, i) => [k[0], i]));
    e.facetIndex = new Map(e.facets.map(([field, values], f) => [field, [f, new Map(values.map((v, i) => [v[0], i]))]]));
    return e;
  }

  // One letter replaced, inserted or deleted, or two neighbours swapped.
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return false;
    let i = 0;
    while (a[i] === b[i]) i++;
    if (a.length !== b.length) return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }

  class Index {
    constructor(root) {
      this.root = root;
      this.site = root.endsWith('search/') ? root.slice(0, -7) : `${root}../`;
      this.parts = new Map();
    }

    load(key, path, prepare = (data) => data) {
      if (!this.parts.has(key)) {
        const part = api.loadScript(this.root + path).then(() => {
          if (!registered.has(key)) throw new Error(`spiegel search: ${path} did not register`);
          const data = prepare(registered.get(key));
          registered.delete(key);
          return data;
        });
        part.catch(() => this.parts.delete(key));
        this.parts.set(key, part);
      }
      return this.parts.get(key);
    }

    entry() { return this.load('e', 'entry.js', prepareEntry); }

    async query(text, filters = {}, { offset = 0, limit = PAGE } = {}) {
      const e = await this.entry();
      const all = terms(text, e.fold);
      const typing = !/\s$/.test(text);
      // Stop words are not indexed, but a last word still being typed may start a longer one.
      const words = [...new Set(all.filter((w, i) => !e.stopSet.has(w) || (typing && i === all.length - 1)))];
      const [mask, matches] = await Promise.all([this.mask(e, filters), Promise.all(words.map((w) => this.match(e, w)))]);
      const ranked = words.length ? rank(matches, mask) : mask ? [...mask].sort((a, b) => a - b) : [];
      const shown = ranked.slice(offset, offset + limit);
      const hit = highlighter(e, words, matches);
      const docs = await Promise.all(shown.map((id) => this.load(`d${id}`, `d/${id}.js`)));
      return Object.assign(docs.map((doc, i) => this.result(e, shown[i], doc, hit)), { total: ranked.length, words });
    }

    // Scores of the pages a word finds: terms it starts (exactly itself weighs most) and,
    // for longer words, terms one edit away; all within the shards the word leads to. When
    // the word is a term itself, other terms count at most as much as its best page: a
    // rarer completion ('kinderopvang' for 'kind') would otherwise outrank the word.
    async match(e, word) {
      let first = 0, last = e.shards.length;
      while (first < last) { const mid = (first + last) >> 1; if (e.shards[mid] <= word) first = mid + 1; else last = mid; }
      last = --first;
      while (last + 1 < Math.min(e.shards.length, first + SPAN) && e.shards[last + 1].startsWith(word)) last++;
      const loading = [];
      for (let n = first; n <= last; n++) { const name = shardName(e.shards[n]); loading.push(this.load(`s${name}`, `s/${name}.js`, parseShard)); }
      const scores = new Map(), found = [];
      const add = (shard, i, weight) => {
        found.push(shard.terms[i]);
        postings(shard.posts[i], (doc, level) => {
          const score = weight * Math.exp(level * e.step);
          if (!(scores.get(doc) >= score)) scores.set(doc, score);
        });
      };
      const typos = [...word].length >= e.fold.typo;
      const shards = await Promise.all(loading);
      const best = (posts) => numbers(posts.slice(0, 2))[0]; // the first level is the highest
      let top = Infinity;
      shards.forEach((s) => s.terms.forEach((t, i) => { if (t === word) top = best(s.posts[i]); }));
      const capped = (s, i, weight) => add(s, i, weight * Math.exp(Math.min(0, top - best(s.posts[i])) * e.step));
      for (const shard of shards) {
        shard.terms.forEach((term, i) => {
          if (term === word) add(shard, i, 1);
          else if (term.startsWith(word)) capped(shard, i, 0.5 + (0.5 * word.length) / term.length);
          else if (typos && oneEdit(word, term)) capped(shard, i, TYPO);
        });
      }
      return { scores, found };
    }

    // Pages having every filtered field (any of the values chosen for one field).
    async mask(e, filters) {
      const sets = [];
      for (const [field, chosen] of Object.entries(filters)) {
        const values = [].concat(chosen).filter((v) => v !== '' && v != null);
        if (!values.length) continue;
        const [f, byValue] = field === 'kind' ? ['k', e.kindIndex] : e.facetIndex.get(field) || [0, new Map()];
        const names = values.filter((v) => byValue.has(v)).map((v) => `${f}-${byValue.get(v)}`);
        const lists = await Promise.all(names.map((n) => this.load(`f${n}`, `f/${n}.js`, ascending)));
        sets.push(new Set(lists.flat()));
      }
      return sets.length ? sets.reduce((a, b) => new Set([...a].filter((id) => b.has(id)))) : null;
    }

    result(e, id, doc, hit) {
      const sections = doc.s.length ? doc.s : [['', '', '']];
      const [anchor, heading, text] = sections[bestSection(sections, hit, e.fold)];
      const kind = e.kinds[doc.k] || ['', ''];
      return {
        id, url: doc.u, title: doc.t, kind: kind[0], kindLabel: kind[1], heading, anchor,
        href: this.site + doc.u + (anchor ? `#${encodeURIComponent(anchor)}` : ''),
        titleHtml: mark(doc.t, hit, e.fold),
        headingHtml: mark(heading, hit, e.fold),
        excerpt: excerpt(text || sections.map((s) => s[2]).find(Boolean) || '', hit, e.fold),
      };
    }
  }

  // Pages matching more query words first, then by summed score, then by id. Pages that
  // lack a word still follow: a common word keeps only its best pages, so requiring every
  // word would hide pages that have both common words of a query.
  function rank(matches, mask) {
    const hits = new Map();
    for (const { scores } of matches) {
      scores.forEach((score, doc) => {
        const h = hits.get(doc) || [0, 0];
        if (!mask || mask.has(doc)) hits.set(doc, [h[0] + 1, h[1] + score]);
      });
    }
    return [...hits].sort(([a, x], [b, y]) => y[0] - x[0] || y[1] - x[1] || a - b).map(([doc]) => doc);
  }

  // Highlight terms that matched, words starting or containing (compounds) a query word,
  // and members of a synonym group that the query names.
  function highlighter(e, words, matches) {
    const exact = new Set(matches.flatMap((m) => m.found));
    for (const group of e.syn) {
      const split = group.map((m) => m.split(' '));
      if (split.some((m) => m.every((t) => words.includes(t)))) split.flat().forEach((t) => exact.add(t));
    }
    return (t) => exact.has(t) || words.some((w) => t.startsWith(w) || (w.length > 3 && t.includes(w)));
  }

  function bestSection(sections, hit, rules) {
    let best = 0, top = -1;
    sections.forEach(([, heading, text], i) => {
      const inHeading = terms(heading, rules).filter(hit), inText = terms(text, rules).filter(hit);
      const score = new Set([...inHeading, ...inText]).size * 4 + inHeading.length * 3 + inText.length;
      if (score > top) { best = i; top = score; }
    });
    return best;
  }

  function mark(text, hit, rules) {
    let html = '', last = 0;
    for (const m of text.matchAll(WORD)) {
      const word = esc(m[0]);
      html += esc(text.slice(last, m.index)) + (terms(m[0], rules).some(hit) ? `<mark>${word}</mark>` : word);
      last = m.index + m[0].length;
    }
    return html + esc(text.slice(last));
  }

  // About `size` characters around the first highlighted word.
  function excerpt(text, hit, rules, size = 180) {
    if (text.length > size) {
      const at = ([...text.matchAll(WORD)].find((m) => terms(m[0], rules).some(hit)) || { index: 0 }).index;
      let start = Math.max(0, Math.min(at - 60, text.length - size));
      if (start > 0) start = text.indexOf(' ', start) + 1 || start;
      let end = Math.min(text.length, start + size);
      if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), start + 1);
      text = (start > 0 ? '\u2026 ' : '') + text.slice(start, end) + (end < text.length ? ' \u2026' : '');
    }
    return mark(text, hit, rules);
  }

  const index = (root) => indexes.get(root) || indexes.set(root, new Index(root)).get(root);

  const api = {
    add(key, data) { registered.set(key, data); },
    // Replaceable, e.g. to record what a query loads.
    loadScript: (src) => new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement('script'), { src });
      script.onload = () => { script.remove(); resolve(); };
      script.onerror = () => { script.remove(); reject(new Error(`spiegel search: cannot load ${src}`)); };
      document.head.append(script);
    }),
    root: own ? new URL('.', own.src).href : '',
    query: (text, filters, options = {}) => index(options.root || api.root).query(text, filters, options),
    terms: (text) => index(api.root).entry().then((e) => terms(text, e.fold)),
  };
  window.spiegelSearch = api;

  const attrs = (el, pairs) => { Object.entries(pairs).forEach(([k, v]) => el.setAttribute(k, v)); return el; };
  const element = (tag, props, pairs = {}) => attrs(Object.assign(document.createElement(tag), props), pairs);
  const cap = (s) => s[0].toUpperCase() + s.slice(1);

  // <form role="search" data-search-root="..."> with <input type="search"> and #search-results.
  function enhance(form) {
    const input = form.querySelector('input[type="search"]'), box = form.querySelector('#search-results');
    if (!input || !box || form.dataset.searchReady) return;
    form.dataset.searchReady = 'true';
    const idx = index(new URL(form.dataset.searchRoot, document.baseURI).href);
    if (!own) api.root = idx.root;
    const status = element('p', { className: 'search-status' }, { role: 'status', 'aria-live': 'polite' });
    const list = element('ul', { id: 'search-results-list', className: 'search-results' }, { role: 'listbox', 'aria-label': (input.labels[0] || input).textContent || input.placeholder || '' });
    const more = element('button', { type: 'button', className: 'search-more', hidden: true });
    const selects = [];
    let entry = null, results = [], active = -1, seq = 0, timer = 0;
    box.before(status);
    box.replaceChildren(list, more);
    box.hidden = true;
    attrs(input, { role: 'combobox', 'aria-autocomplete': 'list', 'aria-controls': list.id, 'aria-expanded': false, autocomplete: 'off' });
    // Interface strings: data-search-<key> on the form, else the entry file's.
    const say = (key, n) => (form.dataset[`search${cap(key)}`] || (entry && entry.text[key]) || key).replace('{n}', n).replace('{q}', input.value.trim());
    const open = (on) => { box.hidden = !on; input.setAttribute('aria-expanded', on); };

    function activate(i) {
      active = i;
      [...list.children].forEach((li, n) => li.setAttribute('aria-selected', n === i));
      if (i < 0) return input.removeAttribute('aria-activedescendant');
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    }

    function render(found, append) {
      const from = append ? results.length : 0;
      results = results.slice(0, from).concat(found);
      if (!append) list.replaceChildren();
      list.insertAdjacentHTML('beforeend', found.map((r, i) =>
        `<li role="option" class="search-result" id="search-result-${from + i}" aria-selected="false"><a href="${esc(r.href)}" tabindex="-1">` +
        `<span class="search-result-title">${r.titleHtml}</span>${r.kindLabel ? ` <span class="search-result-kind">${esc(r.kindLabel)}</span>` : ''}` +
        (r.heading ? `<span class="search-result-heading">${r.headingHtml}</span>` : '') +
        `<span class="search-result-excerpt">${r.excerpt}</span></a></li>`).join(''));
      more.hidden = results.length >= found.total;
      more.textContent = say('more');
      status.textContent = found.total === 1 ? say('one') : say(found.total ? 'results' : 'none', found.total);
      open(true);
      activate(append ? active : -1);
    }

    async function run(append) {
      clearTimeout(timer);
      const mine = ++seq;
      const filters = Object.fromEntries(selects.map((s) => [s.name, s.value]));
      if (!input.value.trim() && !Object.values(filters).some(Boolean)) {
        results = [];
        list.replaceChildren();
        status.textContent = '';
        return open(false);
      }
      try {
        entry = await idx.entry();
        const found = await idx.query(input.value, filters, { offset: append ? results.length : 0 });
        if (mine === seq) render(found, append);
      } catch (err) {
        status.textContent = say('error');
        console.error(err);
      }
    }

    // Filter controls from the entry file, only when the form asks (data-search-filters).
    function drawFilters(e) {
      const label = (f) => form.dataset[`searchLabel${cap(f)}`] || e.text[f] || cap(f);
      const fields = [['kind', say('kind'), e.kinds]].concat(e.facets.map(([f, values]) => [f, label(f), values.map(([v, n]) => [v, v, n])]));
      const wrap = element('div', { className: 'search-filters' });
      wrap.innerHTML = fields.filter((f) => f[2].length).map(([name, text, values]) =>
        `<label class="search-filter-label">${esc(text)} <select name="${esc(name)}" class="search-filter"><option value="">${esc(say('any'))}</option>` +
        values.map(([v, t, n]) => `<option value="${esc(v)}">${esc(t)} (${n})</option>`).join('') + '</select></label>').join('');
      selects.push(...wrap.querySelectorAll('select'));
      wrap.addEventListener('change', () => run());
      status.before(wrap);
    }

    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 150); });
    input.addEventListener('focus', () => { idx.entry().catch(() => {}); if (results.length) open(true); });
    form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
    more.addEventListener('click', () => run(true));
    input.addEventListener('keydown', (ev) => {
      const n = results.length;
      if (ev.key === 'ArrowDown' && n) { open(true); activate((active + 1) % n); }
      else if (ev.key === 'ArrowUp' && n) { open(true); activate(active <= 0 ? n - 1 : active - 1); }
      else if (ev.key === 'Enter' && active >= 0 && !box.hidden) list.children[active].querySelector('a').click();
      else if (ev.key === 'Escape') { if (box.hidden) { input.value = ''; run(); } else open(false); }
      else return;
      ev.preventDefault();
    });
    if (!slash) {
      slash = true;
      document.addEventListener('keydown', (ev) => {
        const t = ev.target;
        if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
        ev.preventDefault();
        input.focus();
      });
    }
    if ('searchFilters' in form.dataset) idx.entry().then((e) => { entry = e; drawFilters(e); }, () => { status.textContent = say('error'); });
    // The search page opened with ?q= (the form sent without JavaScript, or a shared link).
    const asked = new URLSearchParams(location.search).get(input.name || 'q');
    if (asked && !input.value) { input.value = asked; run(); }
  }

  const start = () => document.querySelectorAll('form[role="search"][data-search-root]').forEach(enhance);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
