/**
 * The dashboard's browser code, inlined into the page: plain ES2017 without modules, so it
 * runs as served with nothing to build or fetch. It draws the topology once and polls
 * `api/live` every second. (Kept free of backquotes and dollar-brace, as it lives in a template string.)
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var base = location.pathname.replace(/\/+$/, '');
  var root = base.replace(/\/dashboard$/, '');
  var POLL_MS = 1000;
  var last = null;

  function $(id) { return document.getElementById(id); }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function fmt(n, digits) {
    if (n === null || n === undefined || isNaN(n)) return '-';
    if (digits === undefined) digits = Math.abs(n) < 10 && n % 1 !== 0 ? 1 : 0;
    return Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function getJson(url) {
    return fetch(url, { headers: { accept: 'application/json' } }).then(function (r) {
      return r.text().then(function (text) {
        var body;
        try { body = JSON.parse(text); } catch (e) { body = { message: text }; }
        return { status: r.status, body: body };
      });
    });
  }

  // ---- topology ---------------------------------------------------------------
  function cut(text, max) { return text.length > max ? text.slice(0, max - 1) + '\u2026' : text; }
  function edgePath(points) {
    var a = points[0], b = points[points.length - 1];
    var dx = Math.max(20, (b[0] - a[0]) / 2);
    return 'M' + a[0] + ' ' + a[1] + ' C' + (a[0] + dx) + ' ' + a[1] + ' ' + (b[0] - dx) + ' ' + b[1] + ' ' + b[0] + ' ' + b[1];
  }
  function nodeShape(n) {
    var x = n.x, y = n.y, w = n.width, h = n.height;
    if (n.kind === 'store') {
      return '<path d="M' + x + ' ' + (y + 5) + ' A' + w / 2 + ' 5 0 0 1 ' + (x + w) + ' ' + (y + 5) + ' L' + (x + w) + ' ' + (y + h - 5) +
        ' A' + w / 2 + ' 5 0 0 1 ' + x + ' ' + (y + h - 5) + ' Z"/><ellipse cx="' + (x + w / 2) + '" cy="' + (y + 5) + '" rx="' + w / 2 + '" ry="5"/>';
    }
    var r = n.kind === 'topic' ? h / 2 : 4;
    return '<rect x="' + x + '" y="' + y + '" width="' + w + '" height="' + h + '" rx="' + r + '"/>';
  }
  function drawTopology(d) {
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" id="topology-svg" width="' + (d.width + 2) + '" height="' + (d.height + 2) + '" viewBox="-1 -1 ' + (d.width + 2) + ' ' + (d.height + 2) + '">',
      '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0 L8 4 L0 8 z" fill="#8592a8"/></marker></defs>'];
    d.groups.forEach(function (g) {
      out.push('<g class="subtopology" data-subtopology="' + g.id + '"><rect class="frame' + (g.global ? ' global' : '') + '" x="' + g.x + '" y="' + g.y + '" width="' + g.width + '" height="' + g.height + '" rx="8"/>');
      out.push('<text class="frame-title" x="' + (g.x + 12) + '" y="' + (g.y + 18) + '">' + esc(g.title) + '</text>');
      g.edges.forEach(function (e) {
        out.push('<path class="edge ' + e.kind + '" d="' + edgePath(e.points) + '"' + (e.kind === 'flow' ? ' marker-end="url(#arrow)"' : '') + '/>');
      });
      g.nodes.forEach(function (n) {
        var cls = 'node ' + n.kind + (n.topicRole ? ' ' + n.topicRole : '');
        var label = (n.kind === 'store' && n.storeKind ? n.label + ' (' + n.storeKind + ')' : n.label);
        out.push('<g class="' + cls + '" data-node="' + esc(n.id) + '"><title>' + esc(n.kind + (n.topicRole ? ' (' + n.topicRole + ')' : '') + ': ' + label) + '</title>' + nodeShape(n) +
          '<text x="' + (n.x + n.width / 2) + '" y="' + (n.y + n.height / 2 + 4) + '" text-anchor="middle">' + esc(cut(label, 28)) + '</text></g>');
      });
      out.push('</g>');
    });
    out.push('</svg>');
    $('topology').innerHTML = out.join('');
    fitTopology();
    $('topology-summary').textContent = d.groups.length + ' sub-topologies, ' + d.topics.length + ' topics, ' + d.stores.length + ' stores';
  }

  /** Shrinks a graph a little wider than its box to fit; a much wider one keeps its size and scrolls, to stay legible. */
  function fitTopology() {
    var svg = $('topology-svg');
    if (!svg) return;
    var natural = Number(svg.getAttribute('width'));
    var scale = Math.min(1, ($('topology').clientWidth - 4) / natural);
    svg.style.width = (scale >= 0.7 ? natural * scale : natural) + 'px';
    svg.style.height = 'auto';
  }
  window.addEventListener('resize', fitTopology);

  // ---- charts -----------------------------------------------------------------
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function span(ms) { return ms >= 60000 ? Math.round(ms / 60000) + ' min' : Math.round(ms / 1000) + ' s'; }
  /**
   * An SVG line chart of points [t, rate, lag] (column index): over the history kept, at least
   * a minute, at most the server's window (so a young application's curve is not squeezed).
   */
  function chart(points, index, cls, w, h, now, windowMs, label) {
    if (points.length > 0) windowMs = Math.min(windowMs, Math.max(60000, now - points[0][0]));
    var max = niceMax(points.reduce(function (m, p) { return Math.max(m, p[index]); }, 0));
    var left = 36, top = 6, bottom = 14, plotW = w - left - 4, plotH = h - top - bottom;
    function X(t) { return left + plotW * (1 - (now - t) / windowMs); }
    function Y(v) { return top + plotH * (1 - v / max); }
    var line = points.filter(function (p) { return now - p[0] <= windowMs; }).map(function (p) { return X(p[0]).toFixed(1) + ',' + Y(p[index]).toFixed(1); });
    var out = ['<svg class="chart" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h + '" role="img" aria-label="' + esc(label) + '">'];
    out.push('<line class="axis" x1="' + left + '" y1="' + (top + plotH) + '" x2="' + (left + plotW) + '" y2="' + (top + plotH) + '"/>');
    out.push('<line class="axis" x1="' + left + '" y1="' + top + '" x2="' + (left + plotW) + '" y2="' + top + '" stroke-dasharray="2 3"/>');
    out.push('<text x="' + (left - 4) + '" y="' + (top + 8) + '" text-anchor="end">' + fmt(max) + '</text><text x="' + (left - 4) + '" y="' + (top + plotH) + '" text-anchor="end">0</text>');
    out.push('<text x="' + left + '" y="' + (h - 2) + '">-' + span(windowMs) + '</text><text x="' + (left + plotW) + '" y="' + (h - 2) + '" text-anchor="end">now</text>');
    if (line.length > 1) {
      out.push('<polygon class="area-' + cls + '" points="' + line[0].split(',')[0] + ',' + (top + plotH) + ' ' + line.join(' ') + ' ' + line[line.length - 1].split(',')[0] + ',' + (top + plotH) + '"/>');
      out.push('<polyline class="' + cls + '" points="' + line.join(' ') + '"/>');
    }
    out.push('</svg>');
    return out.join('');
  }

  // ---- live sections ----------------------------------------------------------
  function renderHeader(live) {
    $('state').textContent = live.state;
    $('state').className = 'state ' + live.state;
    $('total-consumed').textContent = fmt(live.totals.consumed);
    $('total-rate').textContent = fmt(live.totals.rate, 1);
    $('total-lag').textContent = fmt(live.totals.lag);
    $('total-dropped').textContent = fmt(live.totals.dropped);
    $('total-commits').textContent = fmt(live.totals.commits);
  }
  function renderPartitions(live) {
    var h = live.history;
    $('chart-rate').innerHTML = chart(h.totals, 1, 'rate', 520, 120, live.now, h.windowMs, 'records consumed per second, all partitions');
    $('chart-lag').innerHTML = chart(h.totals, 2, 'lag', 520, 120, live.now, h.windowMs, 'lag, all partitions');
    if (h.partitions.length === 0) { $('partitions').innerHTML = '<p class="empty">No input partitions yet.</p>'; return; }
    var rows = h.partitions.map(function (p) {
      var id = p.topic + '-' + p.partition;
      var l = p.latest;
      return '<tr data-partition="' + esc(id) + '"><td class="mono">' + esc(id) + '</td>' +
        '<td>' + chart(p.points, 1, 'rate', 220, 44, live.now, h.windowMs, 'rate of ' + id) + '</td><td class="num rate-text" data-metric="rate">' + fmt(l.rate, 1) + '</td>' +
        '<td>' + chart(p.points, 2, 'lag', 220, 44, live.now, h.windowMs, 'lag of ' + id) + '</td><td class="num lag-text" data-metric="lag">' + fmt(l.lag) + '</td>' +
        '<td class="num" data-metric="consumed">' + fmt(l.consumed) + '</td><td class="num">' + (l.committedOffset === null ? '-' : fmt(l.committedOffset)) + '</td><td class="num">' + fmt(l.logEndOffset) + '</td></tr>';
    });
    $('partitions').innerHTML = '<table><thead><tr><th>partition</th><th>rate (records/s)</th><th class="num">now</th><th>lag (records)</th><th class="num">now</th><th class="num">consumed</th><th class="num">committed</th><th class="num">log end</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }
  function renderRestore(live) {
    if (live.restore.length === 0) { $('restore').innerHTML = '<p class="empty">Nothing restored: no store of this instance needed its changelog.</p>'; return; }
    var rows = live.restore.map(function (r) {
      var pct = r.total === 0 ? 100 : Math.min(100, 100 * r.restored / r.total);
      var done = r.done === true || r.restored >= r.total;
      return '<tr data-restore="' + esc(r.store + '-' + r.partition) + '"><td class="mono">' + esc(r.store) + '</td><td class="num">' + r.partition + '</td><td class="mono">' + esc(r.taskId || '-') + '</td>' +
        '<td><div class="bar"><i style="width:' + pct.toFixed(1) + '%"></i></div></td><td class="num">' + fmt(r.restored) + ' / ' + fmt(r.total) + '</td><td>' + (done ? 'done' : 'restoring') + '</td></tr>';
    });
    $('restore').innerHTML = '<table><thead><tr><th>store</th><th class="num">partition</th><th>task</th><th>progress</th><th class="num">records</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }
  function renderInstances(live) {
    if (live.instances.length === 0) { $('instances').innerHTML = '<p class="empty">No assignment yet (the group is rebalancing, or no instance advertises an endpoint).</p>'; return; }
    $('instances').innerHTML = '<div class="instances">' + live.instances.map(function (i) {
      var tags = function (list, cls) { return list.length === 0 ? '<span class="empty">none</span>' : list.map(function (t) { return '<span class="tag ' + (cls || '') + '">' + esc(t) + '</span>'; }).join(''); };
      return '<div class="instance' + (i.self ? ' self' : '') + '" data-instance="' + esc(i.endpoint) + '"><h3 class="mono">' + esc(i.endpoint) + (i.self ? '<em>this instance</em>' : '') + '</h3>' +
        '<div><b>tasks</b> ' + tags(i.tasks) + '</div><div><b>partitions</b> ' + tags(i.partitions) + '</div><div><b>stores</b> ' + tags(i.stores) + '</div></div>';
    }).join('') + '</div>';
  }
  function renderDeadLetters(live) {
    var reasons = Object.keys(live.deadLetters.byReason);
    var counts = reasons.length === 0 ? '<p class="empty">No record dropped.</p>' : reasons.map(function (r) { return '<span class="reason" data-reason="' + esc(r) + '">' + esc(r) + '<b>' + fmt(live.deadLetters.byReason[r]) + '</b></span>'; }).join('');
    var recent = live.deadLetters.recent;
    var rows = recent.slice(0, 25).map(function (d) {
      var where = d.topic === undefined ? '-' : esc(d.topic) + '<br>partition ' + d.partition + ', offset ' + d.offset;
      return '<tr><td>' + new Date(d.t).toLocaleTimeString() + '</td><td>' + esc(d.outcome) + (d.deadLetterTopic ? ' &rarr; <span class="mono">' + esc(d.deadLetterTopic) + '</span>' : '') + '</td><td class="mono">' + where + '</td><td>' + esc(d.processor || '') + '</td><td>' + esc(d.error) + '</td></tr>';
    });
    $('dead-letters').innerHTML = '<div>' + counts + '</div>' + (recent.length === 0 ? '<p class="empty">No dead letter or error seen by this dashboard.</p>' :
      '<table><thead><tr><th>time</th><th>outcome</th><th>record</th><th>processor</th><th>error</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>');
  }

  function poll() {
    getJson(base + '/api/live').then(function (r) {
      if (r.status !== 200) throw new Error('HTTP ' + r.status);
      last = r.body;
      renderHeader(last); renderPartitions(last); renderRestore(last); renderInstances(last); renderDeadLetters(last);
      $('updated').textContent = 'updated ' + new Date(last.now).toLocaleTimeString();
      document.body.setAttribute('data-live', String(last.now));
    }).catch(function (e) {
      $('updated').textContent = 'not updated: ' + e.message;
    }).then(function () { setTimeout(poll, POLL_MS); });
  }

  // ---- store browser ----------------------------------------------------------
  var kinds = {};
  function loadStores() {
    getJson(root + '/stores').then(function (r) {
      var stores = (r.body && r.body.stores) || [];
      stores.forEach(function (s) { kinds[s.name] = s.kind; });
      $('store-select').innerHTML = stores.length === 0 ? '<option value="">no queryable store</option>' :
        stores.map(function (s) { return '<option value="' + esc(s.name) + '">' + esc(s.name) + ' (' + esc(s.kind) + ')</option>'; }).join('');
    });
  }
  function query(event) {
    event.preventDefault();
    var store = $('store-select').value;
    if (!store) return;
    var mode = $('store-mode').value;
    var key = $('store-key').value;
    var s = encodeURIComponent(store);
    var path;
    if (mode === 'key') {
      var kind = kinds[store];
      var sub = kind === 'window' ? 'windows' : kind === 'session' ? 'sessions' : 'keys';
      path = '/stores/' + s + '/' + sub + '/' + encodeURIComponent(key);
    } else if (mode === 'range') {
      path = '/stores/' + s + '/range?from=' + encodeURIComponent(key) + '&to=' + encodeURIComponent($('store-to').value) + '&limit=100';
    } else {
      path = '/stores/' + s + '/all?limit=100';
    }
    $('store-status').textContent = 'GET ' + path + ' ...';
    $('store-status').className = 'status';
    getJson(root + path).then(function (r) {
      $('store-status').textContent = 'GET ' + path + ' \u2192 ' + r.status;
      $('store-status').className = 'status' + (r.status === 200 ? '' : ' error');
      $('store-result').textContent = JSON.stringify(r.body, null, 2);
      $('store-result').setAttribute('data-status', String(r.status));
    }).catch(function (e) {
      $('store-status').textContent = 'GET ' + path + ' failed: ' + e.message;
      $('store-status').className = 'status error';
    });
  }
  function modeChanged() {
    var mode = $('store-mode').value;
    $('store-key-label').firstChild.textContent = mode === 'range' ? 'from' : 'key';
    $('store-key-label').style.display = mode === 'all' ? 'none' : '';
    $('store-to-label').style.display = mode === 'range' ? '' : 'none';
  }

  getJson(base + '/api/topology').then(function (r) { drawTopology(r.body); document.body.setAttribute('data-topology', 'drawn'); });
  $('store-form').addEventListener('submit', query);
  $('store-mode').addEventListener('change', modeChanged);
  modeChanged();
  loadStores();
  poll();
})();
`;
