// Progressive enhancement of the coding screen: key N toggles theme N, Enter (or Ctrl+Enter)
// saves and moves on. Keys only act while focus is inside the coding form and never in a text
// field or with Alt/Meta, so screen readers' own keys and typing elsewhere are untouched.
// Without this script the form works with Tab, Space and Enter.
(function () {
  var form = document.querySelector('form[data-coding]');
  if (!form) return;
  var hint = document.getElementById('coding-keys');
  if (hint) hint.hidden = false;
  var save = form.querySelector('button[type="submit"]:not([name])');

  form.addEventListener('keydown', function (event) {
    if (event.altKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && target.type !== 'checkbox')) return;
    if (event.key === 'Enter') {
      // On a button or link, Enter keeps its own meaning (e.g. the "no theme" button).
      if (!event.ctrlKey && (tag === 'BUTTON' || tag === 'A')) return;
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(save || undefined);
      else if (save) save.click();
      return;
    }
    if (event.ctrlKey || !/^[1-9]$/.test(event.key)) return;
    var box = form.querySelector('input[type="checkbox"][data-key="' + event.key + '"]');
    if (!box) return;
    event.preventDefault();
    box.checked = !box.checked;
    box.focus();
  });

  // Start with the first theme focused so the keys work at once; the answer is the fieldset's
  // description, so a screen reader reads it too.
  var first = form.querySelector('input[type="checkbox"]') || save;
  if (first && !document.querySelector('.error-summary')) first.focus();
})();
