// Drives the search form of ui_check.html like a keyboard user and writes what it saw
// into <pre id="report">, one "PASS/FAIL what" line each, for client_tests.rs to read
// from Chromium's --dump-dom.
(async () => {
  if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r));
  const lines = [];
  const check = (ok, what) => lines.push(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (cond) => { for (let i = 0; i < 100 && !cond(); i++) await wait(50); return cond(); };
  const form = document.querySelector('form[role="search"]');
  const input = form.querySelector('input[type="search"]');
  const box = document.getElementById('search-results');
  const status = form.querySelector('[role="status"]');
  const options = () => [...box.querySelectorAll('[role="option"]')];
  const key = (target, k) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  const type = async (text) => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await wait(400);
  };
  let clicked = null;
  document.addEventListener('click', (ev) => { const a = ev.target.closest('a'); if (a) { clicked = a.getAttribute('href'); ev.preventDefault(); } }, true);
  try {
    check(input.getAttribute('role') === 'combobox' && input.getAttribute('aria-controls') === 'search-results-list', 'input is a combobox controlling the list');
    check(await until(() => form.querySelectorAll('.search-filters select').length === 3), 'kind, fase and tags selects are drawn');
    await type('kind');
    check(await until(() => options().length > 0), 'typing shows results');
    check(status.textContent === `${options().length} resultaten`, `status announces the count: ${status.textContent}`);
    check(input.getAttribute('aria-expanded') === 'true' && !box.hidden, 'list is open');
    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    key(input, 'ArrowUp');
    check(options()[0].getAttribute('aria-selected') === 'true' && input.getAttribute('aria-activedescendant') === options()[0].id, 'arrows move the active result');
    key(input, 'ArrowUp');
    check(options().at(-1).getAttribute('aria-selected') === 'true', 'arrow up from the first wraps to the last');
    key(input, 'ArrowDown');
    key(input, 'Enter');
    check(clicked === options()[0].querySelector('a').getAttribute('href') && /index\.html/.test(clicked), `Enter opens the active result: ${clicked}`);
    key(input, 'Escape');
    check(box.hidden && input.getAttribute('aria-expanded') === 'false' && input.value === 'kind', 'Escape closes the list');
    key(input, 'Escape');
    await wait(50);
    check(input.value === '' && options().length === 0 && status.textContent === '', 'second Escape clears');
    input.blur();
    key(document.body, '/');
    check(document.activeElement === input, '/ focuses the search field');
    const other = document.getElementById('other');
    other.focus();
    check(key(other, '/') && document.activeElement === other, '/ in another field is left to that field');
    await type('creeren');
    check(await until(() => options().length > 0), 'diacritics folded');
    const first = options()[0];
    check(/#pitstop$/.test(first.querySelector('a').getAttribute('href')), `links to the matching section: ${first.querySelector('a').getAttribute('href')}`);
    check(first.querySelector('mark') && first.querySelector('mark').textContent === 'creëren', 'excerpt highlights the word as written');
    check(first.querySelector('.search-result-kind').textContent === 'Methodiek', 'shows the kind label');
    await type('');
    const kind = form.querySelector('select[name="kind"]');
    kind.value = 'method';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    check(await until(() => status.textContent === '3 resultaten'), `a filter without a query browses: ${status.textContent}`);
    await type('fantasiespel ');
    check(await until(() => status.textContent === '2 resultaten'), `filter and query combine: ${status.textContent}`);
    const phase = form.querySelector('select[name="fase"]');
    phase.value = 'pitstop';
    phase.dispatchEvent(new Event('change', { bubbles: true }));
    check(await until(() => status.textContent === 'precies 1 resultaat'), `two filters combine, data-search-one overrides the string: ${status.textContent}`);
    await type('zzzzzz');
    check(await until(() => /Geen resultaten/.test(status.textContent)), `no results is said: ${status.textContent}`);
  } catch (err) {
    check(false, `error ${err.stack}`);
  }
  document.getElementById('report').textContent = lines.join('\n') + '\nDONE';
})();
