// The search page previews its matches as the planner types, and "/" jumps to the search box.
// Progressive: the page is fetched as the form would fetch it and its results are put in place;
// without JavaScript the Search button does the same.
(function () {
  'use strict';
  var form = document.querySelector('form[role="search"]');
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams || !window.FormData) return;
  var box = form.querySelector('input[name="q"]');
  var timer;
  var last = '';
  function run() {
    var params = new URLSearchParams(new FormData(form));
    var query = params.toString();
    if (query === last || !(params.get('q') || '').trim()) return;
    last = query;
    var url = form.action + '?' + query;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.ok || response.status === 422 ? response.text() : null;
      })
      .then(function (html) {
        // A newer query was typed meanwhile: its answer wins.
        if (html === null || query !== last) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('search-results');
        var current = document.getElementById('search-results');
        if (current && fresh) current.replaceWith(fresh);
        else if (current) current.remove();
        else if (fresh) form.after(fresh);
        history.replaceState(null, '', url);
      })
      .catch(function () {
        last = '';
      });
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
    if (event.key === '/' && !typing && box) {
      event.preventDefault();
      box.focus();
    }
  });
})();
