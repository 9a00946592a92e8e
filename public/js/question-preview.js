// The question page, enhanced: a preview of the question as respondents will see it, redrawn from the
// form as the planner types. Nothing is saved: the server only draws the posted form. Without this
// script the panel keeps its note pointing to the overview's section preview.
(function () {
  'use strict';
  var form = document.querySelector('form[data-live-preview]');
  var panel = form && document.getElementById(form.getAttribute('data-live-preview'));
  if (!panel || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var target = panel.querySelector('.live-preview-phone');
  var url = panel.getAttribute('data-url');
  var timer = null;
  // Only the latest request may draw: an earlier, slower answer must not overwrite a newer one.
  var sent = 0;

  function show(html) {
    target.innerHTML = html;
  }

  function refresh() {
    timer = null;
    var number = ++sent;
    fetch(url, {
      method: 'POST',
      headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
      credentials: 'same-origin',
    })
      .then(function (response) {
        return response.text().then(function (text) {
          if (number !== sent) return;
          if (response.status === 200 || response.status === 422) show(text);
          else target.textContent = panel.getAttribute('data-failed');
        });
      })
      .catch(function () {
        if (number === sent) target.textContent = panel.getAttribute('data-failed');
      });
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  refresh();
})();
