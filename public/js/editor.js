// The survey editor's overview, enhanced: questions can be dragged to a new place (in their section
// or another), which posts the same move form as the buttons, and the phone preview is redrawn
// after each saved move. Without this script the up/down buttons do the same.
(function () {
  'use strict';
  var structure = document.querySelector('.editor-structure');
  if (!structure || !window.fetch) return;
  var token = structure.getAttribute('data-csrf');
  var preview = document.querySelector('.phone-preview');
  var dragged = null;

  function refreshPreview() {
    if (preview) preview.src = preview.src.split('#')[0];
  }

  function lists() {
    return structure.querySelectorAll('ol.editor-questions');
  }

  function itemAfter(list, y) {
    var items = list.querySelectorAll('li[data-question]');
    for (var i = 0; i < items.length; i++) {
      if (items[i] === dragged) continue;
      var box = items[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) return items[i];
    }
    return null;
  }

  function save(list) {
    var position = Array.prototype.indexOf.call(list.querySelectorAll('li[data-question]'), dragged);
    var body = new URLSearchParams();
    body.append('_csrf', token);
    body.append('section', list.getAttribute('data-section'));
    body.append('position', String(position));
    return fetch(list.getAttribute('data-move') + encodeURIComponent(dragged.getAttribute('data-question')) + '/move', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      credentials: 'same-origin',
    }).then(function (response) {
      // A refused move (a rule or stored answers): the page from the server says why.
      if (!response.ok) window.location.reload();
      else refreshPreview();
    });
  }

  Array.prototype.forEach.call(lists(), function (list) {
    Array.prototype.forEach.call(list.querySelectorAll('li[data-question]'), function (item) {
      item.setAttribute('draggable', 'true');
      item.addEventListener('dragstart', function (event) {
        dragged = item;
        item.classList.add('dragging');
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', item.getAttribute('data-question'));
      });
      item.addEventListener('dragend', function () {
        item.classList.remove('dragging');
      });
    });
    list.addEventListener('dragover', function (event) {
      if (!dragged) return;
      event.preventDefault();
      var after = itemAfter(list, event.clientY);
      if (after) list.insertBefore(dragged, after);
      else list.appendChild(dragged);
    });
    list.addEventListener('drop', function (event) {
      if (!dragged) return;
      event.preventDefault();
      var moved = dragged;
      save(list).then(function () {
        if (dragged === moved) dragged = null;
      });
    });
  });
})();
