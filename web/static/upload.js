// The upload form works without this script; it adds dropping a file on
// the form and says before uploading whether the file is within the limit.
'use strict';
(function () {
  var form = document.getElementById('upload-form');
  if (!form) return;
  var input = document.getElementById('file');
  var drop = document.getElementById('drop');
  var chosen = document.getElementById('chosen');
  var button = document.getElementById('check');
  var max = Number(form.dataset.maxBytes);

  function size(n) {
    if (n < 1000) return n + ' bytes';
    var units = ['kB', 'MB', 'GB'];
    var f = n / 1000, i = 0;
    while (f >= 1000 && i < units.length - 1) { f /= 1000; i++; }
    return f.toFixed(1) + ' ' + units[i];
  }

  function show() {
    var f = input.files && input.files[0];
    chosen.classList.remove('too-large');
    input.setCustomValidity('');
    if (!f) { chosen.textContent = ''; return; }
    if (max > 0 && f.size > max) {
      chosen.classList.add('too-large');
      chosen.textContent = '“' + f.name + '” is ' + size(f.size) + ', more than the ' + size(max) + ' this page checks.';
      input.setCustomValidity('This file is larger than ' + size(max) + '.');
      return;
    }
    chosen.textContent = 'Ready to check “' + f.name + '” (' + size(f.size) + ').';
  }

  input.addEventListener('change', show);
  ['dragenter', 'dragover'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'dragend', 'drop'].forEach(function (t) {
    drop.addEventListener(t, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
  form.addEventListener('submit', function () {
    button.disabled = true;
    button.textContent = 'Checking…';
  });
  // Coming back to the page from the result re-enables the form.
  window.addEventListener('pageshow', function () {
    button.disabled = false;
    button.textContent = 'Check file';
    show();
  });
})();
