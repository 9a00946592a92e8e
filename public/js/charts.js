// Progressive enhancement: draws a Chart.js chart above each result table marked data-chart, from
// the numbers in the table itself. Without JavaScript the tables are the results.
(function () {
  if (typeof Chart === 'undefined') return;
  var palette = ['#b2182b', '#ef8a62', '#bababa', '#67a9cf', '#2166ac', '#7b3294', '#008837', '#f1a340'];
  var tables = document.querySelectorAll('table[data-chart]');
  for (var i = 0; i < tables.length; i++) draw(tables[i]);

  // A hidden ("<5") or empty cell has no data-value: it is left out of the chart, not drawn as 0.
  function number(cell) {
    var value = cell && cell.getAttribute('data-value');
    return value === null || value === undefined ? null : Number(value);
  }

  function draw(table) {
    var kind = table.getAttribute('data-chart');
    var headers = table.querySelectorAll('thead th');
    // A matrix's group headings are rows of their own, not bars.
    var rows = table.querySelectorAll('tbody tr:not(.group)');
    var labels = [];
    for (var r = 0; r < rows.length; r++) labels.push(rows[r].cells[0].textContent);
    var datasets = [];
    if (kind === 'bar') {
      var data = [];
      for (var b = 0; b < rows.length; b++) data.push(number(rows[b].cells[1]));
      datasets.push({ label: headers[1].textContent, data: data, backgroundColor: '#0b4f8a' });
    } else {
      var series = 0;
      for (var c = 2; c < headers.length; c++) {
        if (!headers[c].hasAttribute('data-series')) continue;
        var values = [];
        for (var s = 0; s < rows.length; s++) values.push(number(rows[s].cells[c]));
        datasets.push({ label: headers[c].textContent, data: values, backgroundColor: palette[series++ % palette.length] });
      }
    }
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    var box = document.createElement('div');
    box.className = 'chart';
    box.appendChild(canvas);
    table.parentNode.parentNode.insertBefore(box, table.parentNode);
    box.style.height = Math.max(160, rows.length * (kind === 'bar' ? 28 : 34) + 80) + 'px';
    new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        animation: false,
        scales: kind === 'stacked' ? { x: { stacked: true, max: 100 }, y: { stacked: true } } : {},
        plugins: { legend: { display: kind === 'stacked' } }
      }
    });
  }
})();
