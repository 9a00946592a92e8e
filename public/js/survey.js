// Progressive enhancement only: mirrors the server's show-when rules for questions that depend on
// an answer on the same page, and moves focus to the error summary. Pages work without it.
(function () {
  var form = document.querySelector('form[data-survey]');
  if (!form) return;
  var dependents = form.querySelectorAll('[data-show-when]');
  function chosen(name) {
    var values = [];
    var fields = form.elements.namedItem(name);
    if (!fields) return values;
    var list = fields.length !== undefined && !fields.tagName ? fields : [fields];
    for (var i = 0; i < list.length; i++) {
      var el = list[i];
      var bands = el.getAttribute && el.getAttribute('data-bands');
      if (bands) {
        // A banded number answers with its band (bounds inclusive); only plain numbers are read here,
        // ages and years, while the server reads every written form and decides on submit.
        var n = Number(el.value.replace(/\s/g, '').replace(',', '.'));
        if (el.value.trim() === '' || isNaN(n)) continue;
        var ranges = JSON.parse(bands);
        for (var b = 0; b < ranges.length; b++) {
          if ((ranges[b][1] === null || n >= ranges[b][1]) && (ranges[b][2] === null || n <= ranges[b][2])) { values.push(ranges[b][0]); break; }
        }
      } else if (el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value) values.push(el.value);
    }
    return values;
  }
  // c as the server sends it: comparisons with other pages' answers arrive decided ({holds}).
  function holds(c) {
    if (c.holds !== undefined) return c.holds;
    if (c.all) return c.all.every(holds);
    if (c.any) return c.any.some(holds);
    var source = document.getElementById('q-' + c.question);
    if (source && source.hidden) return false;
    var v = chosen(c.question);
    if (c.equals !== undefined) return v.indexOf(c.equals) >= 0;
    if (c.notEquals !== undefined) return v.length > 0 && v.indexOf(c.notEquals) < 0;
    if (c.includes !== undefined) return v.indexOf(c.includes) >= 0;
    return c.anyOf.some(function (x) { return v.indexOf(x) >= 0; });
  }
  function update() {
    for (var i = 0; i < dependents.length; i++) {
      var el = dependents[i];
      el.hidden = !holds(JSON.parse(el.getAttribute('data-show-when')));
      var note = document.getElementById('c-' + el.id.slice(2));
      if (note) note.hidden = true;
    }
  }
  if (dependents.length) {
    form.addEventListener('change', update);
    update();
  }
  // Typing in an "other" box chooses "other", as the server reads it.
  form.addEventListener('input', function (e) {
    var box = e.target;
    if (!box.classList || !box.classList.contains('other') || !box.value.trim()) return;
    var owner = form.elements.namedItem(box.name.slice(0, -'.other'.length));
    if (owner && owner.tagName === 'SELECT' && !owner.value) {
      owner.value = 'other';
      update();
      return;
    }
    var choices = form.querySelectorAll('input[value="other"]');
    for (var i = 0; i < choices.length; i++) {
      if (choices[i].name + '.other' === box.name && !choices[i].checked) {
        choices[i].checked = true;
        update();
      }
    }
  });
  var summary = document.getElementById('error-summary');
  if (summary && document.activeElement !== summary) summary.focus();
})();
