/**
 * The HTML report's only script: filtering and sorting of the findings table. It reads the table
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
  var pending = 0;

  function apply() {
    pending = 0;
    var q = text.value.trim().toLowerCase();
    var s = sev.value;
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = (!s || rows[i].getAttribute('data-severity') === s) && (!q || texts[i].indexOf(q) !== -1);
      rows[i].hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n === rows.length ? 'all ' + n + ' findings' : n + ' of ' + rows.length + ' findings';
  }
  function schedule() { if (!pending) pending = window.requestAnimationFrame(apply); }
  text.addEventListener('input', schedule);
  sev.addEventListener('change', apply);

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
      var order = rows.map(function (r, i) { return { r: r, k: key(r, col, type), i: i }; });
      order.sort(function (a, b) { return a.k < b.k ? -dir : a.k > b.k ? dir : a.i - b.i; });
      var frag = document.createDocumentFragment();
      order.forEach(function (o) { frag.appendChild(o.r); });
      body.appendChild(frag);
      rows = order.map(function (o) { return o.r; });
      texts = order.map(function (o) { return texts[o.i]; });
    });
  });
  apply();
})();
`;
