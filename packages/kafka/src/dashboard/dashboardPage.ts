import { DASHBOARD_SCRIPT } from './dashboardScript';
import { DASHBOARD_STYLES } from './dashboardStyles';

/**
 * The dashboard, one self-contained HTML page: its style and script are inlined and it loads
 * nothing from elsewhere, so it works on a machine without internet access. The sections
 * are filled by the script from `GET /dashboard/api/...`.
 */
export function dashboardPage(applicationId: string): string {
  const name = escapeHtml(applicationId);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · Tributary dashboard</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLES}</style>
</head>
<body>
<header>
  <h1>Tributary <small>${name}</small></h1>
  <span id="state" class="state">…</span>
  <div class="stats">
    <div class="stat"><b id="total-consumed">-</b><span>consumed</span></div>
    <div class="stat"><b id="total-rate">-</b><span>records/s</span></div>
    <div class="stat"><b id="total-lag">-</b><span>lag</span></div>
    <div class="stat"><b id="total-dropped">-</b><span>dropped</span></div>
    <div class="stat"><b id="total-commits">-</b><span>commits</span></div>
  </div>
  <span id="updated">connecting…</span>
</header>
<main>
  <section class="wide">
    <h2>Topology <small id="topology-summary"></small></h2>
    <div class="legend">
      <span><i style="background:#e3edff;border-color:#6b93d6"></i>topic</span>
      <span><i style="background:#fff1dc;border-color:#e8a33d"></i>repartition topic</span>
      <span><i style="background:#eef0f3;border-color:#9aa5b5"></i>changelog</span>
      <span><i style="background:#fff;border-color:#8592a8"></i>processor</span>
      <span><i style="background:#e6f6ea;border-color:#40a05a"></i>store</span>
    </div>
    <div id="topology" class="graph"><p class="empty">Loading the topology…</p></div>
  </section>
  <section class="wide">
    <h2>Consumption rate and lag <small>per input partition, the last minutes; lag = log end - committed offset</small></h2>
    <div class="big-charts">
      <div><h3>records consumed per second, all partitions</h3><div id="chart-rate"></div></div>
      <div><h3>lag, all partitions</h3><div id="chart-lag"></div></div>
    </div>
    <div id="partitions"></div>
  </section>
  <section>
    <h2>Tasks per instance</h2>
    <div id="instances"></div>
  </section>
  <section>
    <h2>Restore <small>stores rebuilt from their changelogs</small></h2>
    <div id="restore"></div>
  </section>
  <section>
    <h2>Dead letters and errors <small>dropped records by reason; the latest</small></h2>
    <div id="dead-letters"></div>
  </section>
  <section class="browser">
    <h2>Store browser <small>through the /stores routes</small></h2>
    <form id="store-form">
      <label>store <select id="store-select"></select></label>
      <label>query <select id="store-mode"><option value="key">key</option><option value="range">range</option><option value="all">all</option></select></label>
      <label id="store-key-label">key<input id="store-key" size="18" autocomplete="off"></label>
      <label id="store-to-label">to<input id="store-to" size="14" autocomplete="off"></label>
      <button id="store-get" type="submit">Query</button>
    </form>
    <div id="store-status" class="status"></div>
    <pre id="store-result" class="mono">Pick a store and a key.</pre>
  </section>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
