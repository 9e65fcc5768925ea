/**
 * The HTML report's only script: filtering, sorting, grouping and paging of the findings table;
 * only the first rows that match are shown (more on request), so 10,000 findings stay one short page. It reads the table
 * the renderer already wrote and only moves rows, toggles `hidden` and sets textContent, so no
 * value from the report is ever parsed as HTML. Plain ES2017 so any current browser runs it.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('findings-table');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var text = document.getElementById('filter-text');
  var sev = document.getElementById('filter-severity');
  var shown = document.getElementById('shown-count');
  var more = document.getElementById('show-more');
  var group = document.getElementById('group-by');
  var PAGE = 250;
  var limit = PAGE;
  var pending = 0;
  var original = rows.slice();
  var originalTexts = texts.slice();

  function apply() {
    pending = 0;
    var q = text.value.trim().toLowerCase();
    var s = sev.value;
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = (!s || rows[i].getAttribute('data-severity') === s) && (!q || texts[i].indexOf(q) !== -1);
      rows[i].hidden = !ok || n >= limit;
      if (ok) n++;
    }
    shown.textContent = (n === rows.length ? 'all ' + n + ' findings' : n + ' of ' + rows.length + ' findings') +
      (n > limit ? ' (first ' + limit + ' shown)' : '');
    more.hidden = n <= limit;
  }
  function schedule() { if (!pending) pending = window.requestAnimationFrame(apply); }
  function restart() { limit = PAGE; schedule(); }
  text.addEventListener('input', restart);
  sev.addEventListener('change', function () { limit = PAGE; apply(); });
  more.addEventListener('click', function () { limit += 4 * PAGE; apply(); });

  function place(order) {
    var frag = document.createDocumentFragment();
    order.forEach(function (o) { frag.appendChild(o.r); });
    body.appendChild(frag);
    rows = order.map(function (o) { return o.r; });
    texts = order.map(function (o) { return o.t; });
  }
  group.addEventListener('change', function () {
    var attr = group.value === 'owner' ? 'data-owner' : group.value === 'resource' ? 'data-resource' : null;
    var order = original.map(function (r, i) { return { r: r, t: originalTexts[i], i: i, k: attr ? r.getAttribute(attr) : '' }; });
    // Stable: within a group, the report's order (most severe first); findings nobody owns last.
    order.sort(function (a, b) {
      if (a.k !== b.k) { if (!a.k) return 1; if (!b.k) return -1; return a.k < b.k ? -1 : 1; }
      return a.i - b.i;
    });
    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
    place(order);
    limit = PAGE;
    apply();
  });

  function key(row, col, type) {
    var cell = row.cells[col];
    var v = cell.getAttribute('data-sort');
    if (v === null) v = cell.textContent;
    return type === 'number' ? Number(v) : v.toLowerCase();
  }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var type = th.getAttribute('data-type');
      var order = rows.map(function (r, i) { return { r: r, t: texts[i], k: key(r, col, type), i: i }; });
      order.sort(function (a, b) { return a.k < b.k ? -dir : a.k > b.k ? dir : a.i - b.i; });
      place(order);
      apply();
    });
  });
  apply();
})();
`;
