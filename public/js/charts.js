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

  // The etki/önem matrix: stakeholders as points, the threshold lines, the quadrants' names.
  function scatter(table) {
    var headers = table.querySelectorAll('thead th');
    var x = -1;
    var y = -1;
    for (var h = 0; h < headers.length; h++) {
      if (headers[h].getAttribute('data-axis') === 'x') x = h;
      if (headers[h].getAttribute('data-axis') === 'y') y = h;
    }
    var rows = table.querySelectorAll('tbody tr');
    var points = [];
    for (var r = 0; r < rows.length; r++) {
      points.push({ x: number(rows[r].cells[x]), y: number(rows[r].cells[y]), label: rows[r].cells[0].textContent });
    }
    var cut = Number(table.getAttribute('data-threshold')) - 0.5;
    var names = JSON.parse(table.getAttribute('data-quadrants') || '[]');
    var quadrants = {
      id: 'quadrants',
      afterDraw: function (chart) {
        var area = chart.chartArea;
        var xs = chart.scales.x;
        var ys = chart.scales.y;
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = '#555';
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(xs.getPixelForValue(cut), area.top);
        ctx.lineTo(xs.getPixelForValue(cut), area.bottom);
        ctx.moveTo(area.left, ys.getPixelForValue(cut));
        ctx.lineTo(area.right, ys.getPixelForValue(cut));
        ctx.stroke();
        ctx.fillStyle = '#444';
        ctx.font = 'bold 12px sans-serif';
        ctx.textAlign = 'left';
        ctx.fillText(names[0] || '', area.left + 6, area.bottom - 8);
        ctx.fillText(names[1] || '', area.left + 6, area.top + 16);
        ctx.textAlign = 'right';
        ctx.fillText(names[2] || '', area.right - 6, area.bottom - 8);
        ctx.fillText(names[3] || '', area.right - 6, area.top + 16);
        ctx.restore();
      }
    };
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    var box = document.createElement('div');
    box.className = 'chart';
    box.style.height = '420px';
    box.appendChild(canvas);
    table.parentNode.parentNode.insertBefore(box, table.parentNode);
    new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [{ data: points, backgroundColor: '#0b4f8a', pointRadius: 6 }] },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { min: 0.5, max: 5.5, title: { display: true, text: headers[x].textContent }, ticks: { stepSize: 1 } },
          y: { min: 0.5, max: 5.5, title: { display: true, text: headers[y].textContent }, ticks: { stepSize: 1 } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return item.raw.label + ' (' + item.raw.x + ', ' + item.raw.y + ')'; } } }
        }
      },
      plugins: [quadrants]
    });
  }

  function draw(table) {
    var kind = table.getAttribute('data-chart');
    if (kind === 'scatter') return scatter(table);
    var headers = table.querySelectorAll('thead th');
    var rows = table.querySelectorAll('tbody tr');
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
