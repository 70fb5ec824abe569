// The live view of a job: the visitor's API key is kept in session storage
// (this tab only), sent in the graphql-transport-ws connection_init and in
// the Authorization header of GraphQL requests, never in a URL.
'use strict';
(function () {
  var view = document.getElementById('job');
  if (!view) return;
  var jobID = view.dataset.jobId;
  var storageKey = 'provgraph.apiKey';
  var keySection = document.getElementById('key-section');
  var keyForm = document.getElementById('key-form');
  var keyInput = document.getElementById('key');
  var keyError = document.getElementById('key-error');
  var statusEl = document.getElementById('status');
  var progress = document.getElementById('progress');
  var percent = document.getElementById('percent');
  var done = document.getElementById('done');
  var items = document.getElementById('items');
  var forget = document.getElementById('forget');
  var failures = document.getElementById('failures');
  var failuresList = document.getElementById('failures-list');

  var SUBSCRIPTION = 'subscription($id: ID!) { jobUpdated(id: $id) { id status totalAssets completedAssets failedAssets error completedAt } }';
  var ITEMS = 'query($id: ID!, $after: Cursor) { job(id: $id) { items(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id fileName status error } } } } }';
  var STATUS = { QUEUED: 'Queued', PROCESSING: 'Processing', COMPLETED: 'Completed', FAILED: 'Failed', CANCELLED: 'Cancelled' };

  var ws = null, finished = false, loading = false, again = false, retries = 0;

  function key() { try { return sessionStorage.getItem(storageKey); } catch (e) { return null; } }

  function askForKey(problem) {
    view.hidden = true;
    keySection.hidden = false;
    keyError.hidden = !problem;
    keyError.textContent = problem || '';
    keyInput.focus();
  }

  keyForm.addEventListener('submit', function (e) {
    e.preventDefault();
    var k = keyInput.value.trim();
    if (!k) return;
    try { sessionStorage.setItem(storageKey, k); } catch (err) { /* private mode: keep it for this page only */ }
    keyInput.value = '';
    start(k);
  });

  forget.addEventListener('click', function () {
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
    finished = true;
    if (ws) ws.close(1000);
    askForKey('');
  });

  function refused(text) {
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
    finished = true;
    if (ws) ws.close(1000);
    askForKey(text);
  }

  function start(k) {
    keySection.hidden = true;
    view.hidden = false;
    finished = false;
    statusEl.className = 'status';
    statusEl.textContent = 'Connecting…';
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    ws = new WebSocket(url, 'graphql-transport-ws');
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: 'Bearer ' + k } }));
    };
    ws.onmessage = function (ev) {
      var m = JSON.parse(ev.data);
      switch (m.type) {
        case 'connection_ack':
          retries = 0;
          ws.send(JSON.stringify({ id: 'job', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: jobID } } }));
          break;
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }));
          break;
        case 'next':
          if (m.payload.errors && m.payload.errors.length) { problem(m.payload.errors); break; }
          update(m.payload.data.jobUpdated, k);
          break;
        case 'error':
          problem(m.payload);
          break;
        case 'complete':
          finished = true;
          loadItems(k);
          ws.close(1000);
          break;
      }
    };
    ws.onclose = function (ev) {
      if (ev.code === 4403 || ev.code === 4401) {
        refused('This API key was not accepted. Please enter a valid key.');
        return;
      }
      if (!finished && retries < 5) {
        retries++;
        statusEl.textContent = 'Connection lost; reconnecting…';
        setTimeout(function () { start(k); }, 1000 * retries);
      }
    };
  }

  function problem(errors) {
    var e = (errors && errors[0]) || {};
    var code = e.extensions && e.extensions.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
      refused('This API key may not read this job: ' + (e.message || code) + '.');
      return;
    }
    finished = true;
    statusEl.className = 'status final-FAILED';
    statusEl.textContent = code === 'NOT_FOUND' ? 'There is no job ' + jobID + ' in your account.' : 'The job could not be read: ' + (e.message || 'unknown error') + '.';
  }

  function update(j, k) {
    var total = j.totalAssets || 0;
    var count = (j.completedAssets || 0) + (j.failedAssets || 0);
    var pct = total > 0 ? Math.floor(count * 100 / total) : (j.completedAt ? 100 : 0);
    progress.value = pct;
    progress.setAttribute('aria-valuetext', pct + '%, ' + count + ' of ' + total + ' items done');
    percent.textContent = pct + '%';
    done.textContent = '— ' + count + ' of ' + total + ' items done' + (j.failedAssets ? ', ' + j.failedAssets + ' failed' : '');
    var name = STATUS[j.status] || j.status;
    if (j.completedAt) {
      statusEl.className = 'status final-' + j.status;
      statusEl.textContent = name + ': ' + j.completedAssets + ' succeeded, ' + j.failedAssets + ' failed' + (j.error ? ' (' + j.error + ')' : '') + '.';
    } else {
      statusEl.className = 'status';
      statusEl.textContent = name + '…';
    }
    view.dataset.status = j.status;
    loadItems(k);
  }

  // loadItems reads every item, one page of 100 at a time; calls while a
  // read runs are folded into one more read after it.
  function loadItems(k) {
    if (loading) { again = true; return; }
    loading = true;
    again = false;
    var rows = [];
    function page(after) {
      return fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + k },
        body: JSON.stringify({ query: ITEMS, variables: { id: jobID, after: after } })
      }).then(function (r) { return r.json(); }).then(function (res) {
        if (res.errors && res.errors.length) throw res.errors;
        var c = res.data.job.items;
        c.edges.forEach(function (e) { rows.push(e.node); });
        if (c.pageInfo.hasNextPage) return page(c.pageInfo.endCursor);
        return rows;
      });
    }
    page(null).then(render, function (errors) {
      if (Array.isArray(errors)) problem(errors);
    }).then(function () {
      loading = false;
      if (again) setTimeout(function () { loadItems(k); }, 250);
    });
  }

  function render(rows) {
    var body = document.createDocumentFragment();
    rows.forEach(function (it) {
      var tr = document.createElement('tr');
      tr.className = 'item-' + it.status;
      tr.setAttribute('role', 'row');
      var file = document.createElement('td');
      file.className = 'mono';
      file.textContent = it.fileName || it.id;
      var st = document.createElement('td');
      var pill = document.createElement('span');
      pill.className = 'pill';
      pill.textContent = STATUS[it.status] || it.status;
      st.appendChild(pill);
      var why = document.createElement('td');
      why.textContent = it.error || (it.status === 'FAILED' ? 'No reason given' : '—');
      why.dataset.label = 'Reason';
      [file, st, why].forEach(function (td) { td.setAttribute('role', 'cell'); tr.appendChild(td); });
      body.appendChild(tr);
    });
    items.replaceChildren(body);
    var failed = document.createDocumentFragment(), n = 0;
    rows.forEach(function (it) {
      if (it.status !== 'FAILED') return;
      var li = document.createElement('li');
      var name = document.createElement('strong');
      name.textContent = it.fileName || it.id;
      li.appendChild(name);
      li.appendChild(document.createTextNode(': ' + (it.error || 'no reason given')));
      failed.appendChild(li);
      n++;
    });
    failuresList.replaceChildren(failed);
    failures.hidden = n === 0;
  }

  var k = key();
  if (k) start(k); else askForKey('');
})();
