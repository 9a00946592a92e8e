// The fast entry grid, faster: Enter moves to the next cell like Tab, each row is saved as soon as
// it is finished (Enter in its last cell, Ctrl+Enter anywhere in it, or moving to another row), its refused cells are marked in place,
// and the running count follows. Progressive: without JavaScript the form saves every filled row.
(function () {
  'use strict';
  var form = document.getElementById('grid-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var tbody = form.querySelector('tbody');
  var count = document.getElementById('grid-count');
  var setting = function (name) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    return input ? input.value : '';
  };

  function cellsOf(row) {
    return Array.prototype.slice.call(row.querySelectorAll('input.cell'));
  }
  function keyOf(input) {
    return input.name.slice(input.name.indexOf('.') + 1);
  }
  function filled(row) {
    return cellsOf(row).some(function (input) {
      return input.value.trim() !== '';
    });
  }
  function clearErrors(row) {
    cellsOf(row).forEach(function (input) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      var next = input.nextElementSibling;
      if (next && next.classList.contains('cell-error')) next.remove();
    });
    row.classList.remove('refused');
  }
  function status(row, text) {
    row.querySelector('.row-status').textContent = text;
  }

  function save(row) {
    if (row.dataset.saving === '1' || row.classList.contains('saved') || !filled(row)) return;
    row.dataset.saving = '1';
    status(row, form.dataset.saving);
    var params = new URLSearchParams();
    params.set('_csrf', setting('_csrf'));
    params.set('channel', setting('channel'));
    params.set('batch', setting('batch'));
    params.set('pass', setting('pass'));
    cellsOf(row).forEach(function (input) {
      var key = keyOf(input);
      params.set(key === 'form' ? 'form' : 'c.' + key, input.value);
    });
    fetch(form.dataset.rowAction, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    })
      .then(function (response) {
        if (response.status !== 200 && response.status !== 422) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        row.dataset.saving = '';
        clearErrors(row);
        status(row, answer.message);
        if (count) count.textContent = answer.countText;
        if (answer.kind === 'saved' || answer.kind === 'already_saved') {
          row.classList.add('saved');
          row.dataset.dirty = '';
          cellsOf(row).forEach(function (input) {
            input.readOnly = true;
          });
          return;
        }
        row.classList.add('refused');
        Object.keys(answer.errors).forEach(function (key) {
          var input = row.querySelector('input[name$=".' + key.replace(/"/g, '') + '"]');
          if (!input) return;
          var message = document.createElement('span');
          message.className = 'cell-error';
          message.id = input.id + '-error';
          message.textContent = answer.errors[key];
          input.after(message);
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', message.id);
        });
      })
      .catch(function () {
        row.dataset.saving = '';
        status(row, form.dataset.failed);
      });
  }

  /** A fresh empty row after the last, numbered on. */
  function addRow() {
    var rows = tbody.querySelectorAll('tr');
    var last = rows[rows.length - 1];
    var index = Number(last.dataset.row) + 1;
    var fresh = last.cloneNode(true);
    fresh.dataset.row = String(index);
    fresh.className = '';
    fresh.dataset.saving = '';
    fresh.dataset.dirty = '';
    status(fresh, '');
    clearErrors(fresh);
    cellsOf(fresh).forEach(function (input) {
      var key = keyOf(input);
      input.value = '';
      input.readOnly = false;
      input.name = 'r' + index + '.' + key;
      input.id = 'g-' + index + '-' + key;
      input.setAttribute('aria-label', input.getAttribute('aria-label').replace(/\d+/, String(index + 1)));
    });
    tbody.appendChild(fresh);
    return fresh;
  }

  form.addEventListener('input', function (event) {
    var row = event.target.closest('tr');
    if (row) row.dataset.dirty = '1';
  });

  form.addEventListener('keydown', function (event) {
    var input = event.target;
    if (event.key !== 'Enter' || !input.classList || !input.classList.contains('cell')) return;
    event.preventDefault();
    var row = input.closest('tr');
    var cells = cellsOf(row);
    var position = cells.indexOf(input);
    // Ctrl+Enter: the rest of the paper is blank, the row is done.
    if (position < cells.length - 1 && !event.ctrlKey) {
      cells[position + 1].focus();
      return;
    }
    save(row);
    var next = row.nextElementSibling || addRow();
    cellsOf(next)[0].focus();
  });

  // Moving on to another row finishes the one typed last; looking elsewhere on the page (the
  // legend) in between does not.
  var current = null;
  form.addEventListener('focusin', function (event) {
    var row = event.target.closest && event.target.closest('tr');
    if (!row || !tbody.contains(row)) return;
    if (current && current !== row && current.dataset.dirty === '1') save(current);
    current = row;
    if (row === tbody.lastElementChild) addRow();
  });
})();
