/**
 * The security team's dashboard: one self-contained page (no CDN, no external fonts, works
 * offline). The page holds no data: it fetches the summary as JSON from the same URL, with the
 * bearer token kept in sessionStorage (never in a URL) or the app's own session cookie, and
 * renders every value with textContent.
 */
export function dashboardHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI security monitor</title>
<style nonce="${nonce}">
  :root { color-scheme: light dark; --fg: #1b1f24; --muted: #667085; --card: #f6f8fa; --accent: #b42318; --ok: #067647; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9aa4b2; --card: #161b22; } }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 20px; color: var(--fg); }
  header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 20px; margin: 0 12px 0 0; }
  .muted { color: var(--muted); }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0; }
  .card { background: var(--card); border-radius: 8px; padding: 12px; }
  .card b { display: block; font-size: 24px; }
  section { margin: 20px 0; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid color-mix(in srgb, var(--muted) 30%, transparent); vertical-align: top; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  code { font-size: 12px; word-break: break-all; }
  .bar { height: 10px; background: var(--accent); border-radius: 3px; }
  svg { width: 100%; height: 160px; background: var(--card); border-radius: 8px; }
  #login { display: none; background: var(--card); padding: 16px; border-radius: 8px; max-width: 420px; }
  #error { color: var(--accent); }
  .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 20px; }
</style>
</head>
<body>
<header>
  <h1>AI security monitor</h1>
  <span id="model" class="muted"></span>
  <label>Window <select id="hours">
    <option value="1">1 hour</option><option value="6">6 hours</option><option value="24" selected>24 hours</option><option value="168">7 days</option>
  </select></label>
  <span id="updated" class="muted"></span>
</header>
<form id="login">
  <p>This summary is protected. Enter the bearer token (kept for this tab only, never put in a URL).</p>
  <input id="token" type="password" autocomplete="off" size="40"> <button type="submit">Open</button>
</form>
<p id="error"></p>
<main id="content" hidden>
  <div class="cards">
    <div class="card"><span class="muted">Incidents</span><b id="total">0</b></div>
    <div class="card"><span class="muted">Occurrences</span><b id="occurrences">0</b></div>
    <div class="card"><span class="muted">Blocked</span><b id="blocked">0</b></div>
    <div class="card"><span class="muted">Flagged</span><b id="flagged">0</b></div>
    <div class="card"><span class="muted">Alerts sent / undelivered</span><b id="alerts">–</b></div>
  </div>
  <section>
    <h2>Timeline <span id="bucket" class="muted"></span></h2>
    <svg id="timeline" viewBox="0 0 1000 160" preserveAspectRatio="none" role="img" aria-label="Incidents over time"></svg>
  </section>
  <div class="grid2">
    <section><h2>Threat mix</h2><table id="mix"></table></section>
    <section><h2>Top offenders</h2><table id="offenders"></table></section>
    <section><h2>Riskiest clients</h2><table id="riskiest"></table></section>
    <section><h2>Top routes</h2><table id="routes"></table></section>
  </div>
  <section>
    <h2>Recent incidents</h2>
    <table id="recent"><thead><tr><th>time</th><th>severity</th><th>type</th><th>client</th><th>route</th><th>action</th><th>rules</th><th>input</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script nonce="${nonce}">
(() => {
  const $ = (id) => document.getElementById(id);
  const KEY = 'ai-security-monitor-token';
  let timer;
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function rows(table, items, cells) {
    table.replaceChildren();
    for (const item of items) {
      const tr = el('tr');
      for (const c of cells(item)) tr.append(c instanceof Node ? c : el('td', c));
      table.append(tr);
    }
    if (items.length === 0) table.append(el('tr')).append(el('td', 'none', 'muted'));
  }
  function num(n) { return el('td', Number(n).toLocaleString(), 'num'); }
  function chart(summary) {
    const svg = $('timeline');
    const ns = 'http://www.w3.org/2000/svg';
    svg.replaceChildren();
    const points = summary.timeline;
    const max = Math.max(1, ...points.map((p) => p.count));
    const x = (i) => (points.length <= 1 ? 500 : 20 + (i * 960) / (points.length - 1));
    const y = (v) => 145 - (v / max) * 125;
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points.map((p, i) => x(i) + ',' + y(p.count)).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', 'currentColor');
    line.setAttribute('stroke-width', '2');
    svg.append(line);
    points.forEach((p, i) => {
      const c = document.createElementNS(ns, 'circle');
      c.setAttribute('cx', String(x(i)));
      c.setAttribute('cy', String(y(p.count)));
      c.setAttribute('r', p.count > 0 ? '4' : '2');
      c.setAttribute('class', 'point');
      const t = document.createElementNS(ns, 'title');
      t.textContent = p.at + ': ' + p.count + ' (' + p.blocked + ' blocked)';
      c.append(t);
      svg.append(c);
    });
    $('bucket').textContent = '(' + Math.round(summary.bucketMs / 60000) + ' min buckets, peak ' + max + ')';
  }
  function render(s) {
    $('model').textContent = s.modelName + ' · ' + s.since.replace('T', ' ').slice(0, 16) + ' – ' + s.until.replace('T', ' ').slice(0, 16) + ' UTC';
    $('total').textContent = s.totalIncidents.toLocaleString();
    $('occurrences').textContent = s.totalOccurrences.toLocaleString();
    $('blocked').textContent = s.blocked.toLocaleString();
    $('flagged').textContent = s.flagged.toLocaleString();
    $('alerts').textContent = s.alerts ? s.alerts.sent + ' / ' + s.alerts.undelivered : '–';
    chart(s);
    const mix = Object.entries(s.byType).sort((a, b) => b[1] - a[1]);
    const top = Math.max(1, ...mix.map((m) => m[1]));
    rows($('mix'), mix, ([type, n]) => {
      const bar = el('td');
      const b = el('div', undefined, 'bar');
      b.style.width = Math.max(2, (n / top) * 100) + '%';
      bar.append(b);
      return [el('td', type), num(n), bar];
    });
    rows($('offenders'), s.topKeys, (k) => [el('td', k.key), num(k.count)]);
    rows($('riskiest'), s.riskiest || [], (r) => [el('td', r.key), num(r.risk), el('td', r.incidents + (r.incidents === 1 ? ' incident' : ' incidents'), 'muted')]);
    rows($('routes'), s.topRoutes, (r) => [el('td', r.route), num(r.count)]);
    rows($('recent').tBodies[0], s.recent, (i) => {
      const input = el('td');
      input.append(el('code', i.excerpt || ''));
      return [
        el('td', new Date(i.at).toISOString().replace('T', ' ').slice(0, 19)),
        el('td', i.severity),
        el('td', i.type + (i.evidence && i.evidence.pattern ? ' (' + i.evidence.pattern + ')' : '')),
        el('td', i.key),
        el('td', i.path ? ((i.method || '') + ' ' + i.path).trim() : ''),
        el('td', i.action + (i.occurrences > 1 ? ' ×' + i.occurrences : '')),
        el('td', (i.rules || []).join(', ')),
        input,
      ];
    });
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    $('content').hidden = false;
    document.body.dataset.state = 'ready';
  }
  async function load() {
    const headers = { accept: 'application/json' };
    const token = sessionStorage.getItem(KEY);
    if (token) headers.authorization = 'Bearer ' + token;
    try {
      const res = await fetch(location.pathname + '?format=json&hours=' + encodeURIComponent($('hours').value), { headers, credentials: 'same-origin', cache: 'no-store' });
      if (res.status === 401) {
        sessionStorage.removeItem(KEY);
        $('content').hidden = true;
        $('login').style.display = 'block';
        document.body.dataset.state = 'login';
        return;
      }
      if (!res.ok) throw new Error('summary answered ' + res.status);
      $('login').style.display = 'none';
      $('error').textContent = '';
      render(await res.json());
    } catch (e) {
      $('error').textContent = 'Could not load the summary: ' + e.message;
    }
  }
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $('token').value);
    $('token').value = '';
    load();
  });
  $('hours').addEventListener('change', load);
  load();
  timer = setInterval(load, 30000);
})();
</script>
</body>
</html>`;
}
