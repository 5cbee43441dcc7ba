/* Lunch mode: one entry full screen in large type, for the table or the projector. The
   layout is CSS only (the #lunch anchor is the :target), so it also works without
   JavaScript; this script adds the keyboard (arrows, Page Up/Down for presenter remotes,
   Escape), swiping on touch screens, full screen, and, when the URL carries a selection
   (?sel=…), steps through the selection instead of the kind. */
(function () {
  'use strict';

  var bar = document.querySelector('.lunch-bar');
  if (!bar) return;
  var prev = bar.querySelector('.lunch-prev');
  var next = bar.querySelector('.lunch-next');
  var close = bar.querySelector('.lunch-close');
  var position = bar.querySelector('.lunch-position');

  function active() {
    return location.hash === '#lunch';
  }

  function go(link) {
    if (link && link.hasAttribute('href')) location.href = link.href;
  }

  function point(link, target) {
    if (target) link.setAttribute('href', target);
    else link.removeAttribute('href');
  }

  /* Through the selection, when this entry is part of the one in the URL. */
  var api = window.spiegel;
  var selection = api && api.fromQuery(location.search);
  var key = document.body.getAttribute('data-key');
  var at = selection ? selection.keys.indexOf(key) : -1;
  if (at >= 0) {
    var query = api.toQuery(selection);
    var step = function (i) {
      return i >= 0 && i < selection.keys.length ? api.href(selection.keys[i]) + query + '#lunch' : null;
    };
    point(prev, step(at - 1));
    point(next, step(at + 1));
    if (position) {
      var template = position.getAttribute('data-template') || '';
      position.textContent = api.fill(template, { number: at + 1, count: selection.keys.length });
    }
  }

  document.addEventListener('keydown', function (event) {
    if (!active() || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
    if (event.key === 'ArrowRight' || event.key === 'PageDown') {
      event.preventDefault();
      go(next);
    } else if (event.key === 'ArrowLeft' || event.key === 'PageUp') {
      event.preventDefault();
      go(prev);
    } else if (event.key === 'Escape' && !document.fullscreenElement) {
      close.click();
    }
  });

  var start = null;
  document.addEventListener('touchstart', function (event) {
    start = active() && event.touches.length === 1 ? event.touches[0] : null;
  }, { passive: true });
  document.addEventListener('touchend', function (event) {
    if (!start || !event.changedTouches.length) return;
    var dx = event.changedTouches[0].clientX - start.clientX;
    var dy = event.changedTouches[0].clientY - start.clientY;
    start = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? next : prev);
  }, { passive: true });

  var full = bar.querySelector('.lunch-fullscreen');
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener('click', function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    });
  }
})();
