/* The reader's selection ("voor donderdag"): entries marked while browsing. It is kept in
   the browser's localStorage and written into the selection page's URL
   (?sel=inspiratie/a,methodieken/b&name=…), so that a selection can be shared. The
   selection page shows each entry's printable card, loaded from the card.js beside the
   entry's page (a script, not fetch(), so that it also works from file://), and can
   start lunch mode through the selected entries. Exposes window.spiegel for lunch.js.
   A classic script with no dependencies; it does nothing on pages without its elements. */
(function () {
  'use strict';

  var STORE = 'spiegel.selection';
  var KEY = /^[\p{L}\p{N}_.-]+(\/[\p{L}\p{N}_.-]+)*$/u;
  var html = document.documentElement;
  var root = html.getAttribute('data-root') || '';
  var clean = html.hasAttribute('data-clean-urls');

  function valid(key) {
    return KEY.test(key) && key.split('/').every(function (part) {
      return part !== '.' && part !== '..';
    });
  }

  function unique(keys) {
    return keys.filter(function (key, i) { return valid(key) && keys.indexOf(key) === i; });
  }

  /* The page of a key, relative to the current page. */
  function href(key) {
    return root + key + (clean ? '/' : '/index.html');
  }

  function load() {
    try {
      var stored = JSON.parse(localStorage.getItem(STORE) || '{}');
      return {
        keys: unique(Array.isArray(stored.keys) ? stored.keys.map(String) : []),
        name: typeof stored.name === 'string' ? stored.name : ''
      };
    } catch (e) {
      return { keys: [], name: '' };
    }
  }

  function save(selection) {
    try {
      localStorage.setItem(STORE, JSON.stringify(selection));
    } catch (e) {
      /* Storage may be off (private windows): the URL still holds the selection. */
    }
  }

  /* The selection named by a URL's query, or null if it names none. */
  function fromQuery(search) {
    var params = new URLSearchParams(search);
    if (!params.has('sel')) return null;
    return { keys: unique((params.get('sel') || '').split(',')), name: params.get('name') || '' };
  }

  function toQuery(selection) {
    var params = new URLSearchParams();
    params.set('sel', selection.keys.join(','));
    if (selection.name) params.set('name', selection.name);
    return '?' + params.toString();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  window.spiegel = { href: href, fromQuery: fromQuery, toQuery: toQuery, fill: fill };

  var state = load();

  function showHeaderLink() {
    var link = document.querySelector('.selection-link');
    if (!link) return;
    var base = link.getAttribute('data-base') || link.getAttribute('href');
    link.setAttribute('data-base', base);
    link.hidden = state.keys.length === 0;
    link.setAttribute('href', base + toQuery(state));
    var count = link.querySelector('.selection-count');
    if (count) count.textContent = String(state.keys.length);
  }

  function showToggles() {
    var toggles = document.querySelectorAll('.select-toggle[data-select]');
    for (var i = 0; i < toggles.length; i++) {
      var key = toggles[i].getAttribute('data-select');
      toggles[i].hidden = false;
      toggles[i].setAttribute('aria-pressed', String(state.keys.indexOf(key) >= 0));
    }
  }

  function changed() {
    save(state);
    showHeaderLink();
    showToggles();
    if (page) page.render();
  }

  document.addEventListener('click', function (event) {
    var toggle = event.target.closest && event.target.closest('.select-toggle[data-select]');
    if (!toggle) return;
    var key = toggle.getAttribute('data-select');
    var at = state.keys.indexOf(key);
    if (at >= 0) state.keys.splice(at, 1);
    else if (valid(key)) state.keys.push(key);
    changed();
  });

  /* The selection page: the cards, the name, the link and the tools. */
  var page = (function () {
    var box = document.getElementById('selection');
    if (!box) return null;
    var cards = document.getElementById('selection-cards');
    var status = document.getElementById('selection-status');
    var nameInput = document.getElementById('selection-name');
    var urlInput = document.getElementById('selection-url');
    var lunch = document.getElementById('selection-lunch');
    var printName = box.querySelector('.selection-print-name');
    var text = function (name) { return box.getAttribute('data-' + name) || ''; };
    var shown = {};
    var serial = 0;

    var shared = fromQuery(location.search);
    if (shared) state = shared;
    save(state);
    box.hidden = false;

    window.spiegelCard = function (key, cardHtml) {
      var slot = cards.querySelector('[data-slot="' + CSS.escape(key) + '"]');
      if (!slot) return;
      slot.innerHTML = cardHtml;
      relink(slot, new URL(href(key), location.href), slot.getAttribute('data-prefix'));
      slot.parentNode.classList.remove('is-loading');
    };

    function relink(slot, base, prefix) {
      var linked = slot.querySelectorAll('[href], [src]');
      for (var i = 0; i < linked.length; i++) {
        var attr = linked[i].hasAttribute('href') ? 'href' : 'src';
        linked[i].setAttribute(attr, new URL(linked[i].getAttribute(attr), base).href);
      }
      var named = slot.querySelectorAll('[id], [aria-labelledby]');
      for (var j = 0; j < named.length; j++) {
        if (named[j].id) named[j].id = prefix + named[j].id;
        var label = named[j].getAttribute('aria-labelledby');
        if (label) named[j].setAttribute('aria-labelledby', prefix + label);
      }
    }

    function slotFor(key) {
      var slot = document.createElement('div');
      slot.className = 'selection-card is-loading';
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button selection-remove';
      remove.textContent = text('remove');
      remove.addEventListener('click', function () {
        state.keys = state.keys.filter(function (k) { return k !== key; });
        changed();
      });
      var holder = document.createElement('div');
      holder.className = 'selection-card-body';
      holder.setAttribute('data-slot', key);
      holder.setAttribute('data-prefix', 'sel' + serial++ + '-');
      slot.appendChild(remove);
      slot.appendChild(holder);
      var script = document.createElement('script');
      script.src = root + key + '/card.js';
      script.onerror = function () {
        holder.textContent = fill(text('missing'), { key: key });
        slot.classList.remove('is-loading');
      };
      document.head.appendChild(script);
      return slot;
    }

    function render() {
      var keep = {};
      state.keys.forEach(function (key) {
        keep[key] = shown[key] || slotFor(key);
        cards.appendChild(keep[key]);
      });
      Object.keys(shown).forEach(function (key) {
        if (!keep[key]) cards.removeChild(shown[key]);
      });
      shown = keep;
      var query = toQuery(state);
      history.replaceState(null, '', query);
      urlInput.value = location.href;
      status.textContent = state.keys.length
        ? fill(text('count'), { count: state.keys.length })
        : text('empty');
      lunch.hidden = state.keys.length === 0;
      if (state.keys.length) lunch.setAttribute('href', href(state.keys[0]) + query + '#lunch');
      nameInput.value = state.name;
      printName.textContent = state.name;
      printName.hidden = !state.name;
    }

    nameInput.addEventListener('input', function () {
      state.name = nameInput.value.trim();
      save(state);
      showHeaderLink();
      var query = toQuery(state);
      history.replaceState(null, '', query);
      urlInput.value = location.href;
      if (state.keys.length) lunch.setAttribute('href', href(state.keys[0]) + query + '#lunch');
      printName.textContent = state.name;
      printName.hidden = !state.name;
    });

    document.getElementById('selection-clear').addEventListener('click', function () {
      state = { keys: [], name: '' };
      changed();
    });

    document.getElementById('selection-copy').addEventListener('click', function () {
      urlInput.select();
      var done = function () { status.textContent = text('copied'); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(urlInput.value).then(done, function () {});
      }
    });

    return { render: render };
  })();

  showHeaderLink();
  showToggles();
  if (page) page.render();
})();
