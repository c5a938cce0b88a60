window.onerror = function (m) { document.documentElement.setAttribute('data-js-error', String(m)); };
document.addEventListener('DOMContentLoaded', function () {
  function key(td) {
    var t = (td && td.textContent || '').trim();
    var n = t.replace(/[,+]/g, '').replace('\u2212', '-');
    return n !== '' && !isNaN(n) ? Number(n) : t;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener('click', function () {
        var down = th.getAttribute('data-dir') !== 'up';
        th.setAttribute('data-dir', down ? 'up' : 'down');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return down ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var filter = document.getElementById('filter');
  var rows = document.getElementById('rows-table');
  if (filter && rows) {
    filter.hidden = false;
    filter.addEventListener('input', function () {
      var q = filter.value.toLowerCase();
      Array.prototype.forEach.call(rows.tBodies[0].rows, function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }
  document.documentElement.setAttribute('data-js', 'ok');
});
