/* The picker: filters a kind's list (the methods by phase, group, duration, building
   block and trajectory type) with the counts each choice would give, and keeps the
   choice in the URL (?fase=beginfoto&duur=60) so that a filtered list can be shared.
   The list itself is in the page: without JavaScript it is simply shown in full. Every
   list item carries its values in data-facets (JSON: field → values). With a filter
   on, "start lunch mode" steps through the entries shown (as a selection in its URL). */
(function () {
  'use strict';

  var picker = document.getElementById('picker');
  var form = document.getElementById('picker-form');
  var list = document.getElementById('entries');
  if (!picker || !form || !list) return;

  var items = Array.prototype.slice.call(list.querySelectorAll('[data-facets]')).map(function (el) {
    var values = {};
    try {
      values = JSON.parse(el.getAttribute('data-facets')) || {};
    } catch (e) {
      values = {};
    }
    return { el: el, values: values };
  });
  var status = document.getElementById('picker-status');
  var empty = document.querySelector('.picker-empty');
  var active = picker.querySelector('.picker-active');
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox]'));
  var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-mode=max]'));

  /* What is chosen: field → { mode, values } */
  function chosen() {
    var state = {};
    boxes.forEach(function (box) {
      if (!box.checked) return;
      state[box.name] = state[box.name] || { mode: 'any', values: [] };
      state[box.name].values.push(box.value);
    });
    selects.forEach(function (select) {
      if (select.value) state[select.name] = { mode: 'max', values: [select.value] };
    });
    return state;
  }

  function fits(item, name, choice) {
    var have = item.values[name] || [];
    if (choice.mode === 'max') {
      var most = parseFloat(choice.values[0]);
      return have.some(function (v) { return parseFloat(v) <= most; });
    }
    return have.some(function (v) { return choice.values.indexOf(v) >= 0; });
  }

  /* Whether an item fits every choice, except the one for `skip`. */
  function matches(item, state, skip) {
    return Object.keys(state).every(function (name) {
      return name === skip || fits(item, name, state[name]);
    });
  }

  function count(state, name, choice) {
    return items.filter(function (item) {
      return matches(item, state, name) && fits(item, name, choice);
    }).length;
  }

  function update() {
    var state = chosen();
    var shown = 0;
    items.forEach(function (item) {
      var ok = matches(item, state, null);
      item.el.hidden = !ok;
      if (ok) shown++;
    });
    boxes.forEach(function (box) {
      var n = count(state, box.name, { mode: 'any', values: [box.value] });
      var label = box.parentNode.querySelector('.facet-count');
      if (label) label.textContent = '(' + n + ')';
      box.parentNode.classList.toggle('is-empty', n === 0 && !box.checked);
    });
    selects.forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var n = count(state, select.name, { mode: 'max', values: [option.value] });
        option.textContent = option.getAttribute('data-label') + ' (' + n + ')';
      });
    });
    var template = form.getAttribute('data-status') || '';
    status.textContent = window.spiegel
      ? window.spiegel.fill(template, { shown: shown, total: items.length })
      : template.replace('{shown}', shown).replace('{total}', items.length);
    if (empty) empty.hidden = shown > 0;
    var filters = Object.keys(state).length;
    if (active) active.textContent = filters ? '(' + filters + ')' : '';
    writeQuery(state);
    pointLunch(filters > 0);
  }

  var lunch = document.querySelector('.lunch-start-kind');
  var lunchAll = lunch && lunch.getAttribute('href');

  function pointLunch(filtered) {
    var api = window.spiegel;
    if (!lunch || !api) return;
    var keys = items.filter(function (item) { return !item.el.hidden; }).map(function (item) {
      return item.el.getAttribute('data-key');
    });
    lunch.hidden = keys.length === 0;
    lunch.setAttribute('href', filtered && keys.length
      ? api.href(keys[0]) + api.toQuery({ keys: keys, name: '' }) + '#lunch'
      : lunchAll);
  }

  function writeQuery(state) {
    var params = new URLSearchParams(location.search);
    boxes.concat(selects).forEach(function (input) { params.delete(input.name); });
    Object.keys(state).forEach(function (name) {
      state[name].values.forEach(function (v) { params.append(name, v); });
    });
    var query = params.toString();
    history.replaceState(null, '', (query ? '?' + query : location.pathname) + location.hash);
  }

  function readQuery() {
    var params = new URLSearchParams(location.search);
    boxes.forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
    });
    selects.forEach(function (select) {
      var value = params.get(select.name) || '';
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; })
        ? value : '';
    });
  }

  selects.forEach(function (select) {
    Array.prototype.forEach.call(select.options, function (option) {
      option.setAttribute('data-label', option.textContent);
    });
  });
  readQuery();
  picker.hidden = false;
  var wide = window.matchMedia('(min-width: 60rem)');
  picker.open = wide.matches || Object.keys(chosen()).length > 0;
  form.addEventListener('change', update);
  form.addEventListener('reset', function () { setTimeout(update, 0); });
  update();
})();
