// Progressive enhancement: swaps each figure's server-rendered PNG for the same chart drawn by
// Chart.js from the same configuration (public/vendor/figures.js), so it can be hovered. Without
// JavaScript, and in print, the PNG is the figure.
(function () {
  if (typeof Chart === 'undefined' || typeof PaydasFigures === 'undefined') return;
  var figures = document.querySelectorAll('figure[data-figure]');
  for (var i = 0; i < figures.length; i++) draw(figures[i]);

  function draw(figure) {
    var data = JSON.parse(figure.getAttribute('data-figure'));
    var image = figure.querySelector('img');
    var box = document.createElement('div');
    box.className = 'chart screen-only';
    box.style.height = PaydasFigures.figureHeight(data) / 2 + 120 + 'px';
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', image ? image.getAttribute('alt') : figure.getAttribute('aria-label') || '');
    box.appendChild(canvas);
    figure.insertBefore(box, figure.firstChild);
    if (image) image.classList.add('print-only');
    new Chart(canvas, PaydasFigures.figureConfig(data, { static: false, font: 'system-ui, sans-serif' }));
  }
})();
