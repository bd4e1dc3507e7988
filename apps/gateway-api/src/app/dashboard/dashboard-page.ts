/**
 * The dashboard: one self-contained HTML page (inline CSS and script, nothing from a CDN) that polls
 * `dataUrl` every second and renders every broker's status, offline/mock flags and rate-limit usage per
 * rule. Values are written with textContent only, never as HTML.
 */
export function renderDashboardPage(dataUrl: string, refreshMs = 1_000): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>QTS gateway - brokers</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  #updated { color: #667; font-size: .85rem; margin-bottom: 1rem; }
  #error { color: #b00020; font-size: .9rem; min-height: 1.2em; }
  table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px #0002; }
  th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  th { background: #eef0f4; font-weight: 600; font-size: .85rem; }
  .status { font-weight: 600; }
  .CONNECTED { color: #137333; } .DEGRADED { color: #b06000; }
  .DISCONNECTED { color: #b00020; } .CONNECTING { color: #5f6368; }
  .flag { display: inline-block; padding: 0 .4rem; margin-right: .3rem; border-radius: .3rem; font-size: .75rem; background: #e8eaed; }
  .flag.on { background: #fde293; }
  .rule { font-size: .85rem; margin-bottom: .35rem; }
  .bar { height: .4rem; background: #e8eaed; border-radius: .2rem; width: 12rem; overflow: hidden; }
  .bar > span { display: block; height: 100%; background: #1a73e8; }
</style>
</head>
<body>
<h1>Brokers</h1>
<div id="updated">loading...</div>
<div id="error" role="alert"></div>
<table>
  <thead><tr><th>Broker</th><th>Type</th><th>Status</th><th>Flags</th><th>Rate limit usage</th></tr></thead>
  <tbody id="brokers"></tbody>
</table>
<script>
(function () {
  'use strict';
  var DATA_URL = ${JSON.stringify(dataUrl)};
  var REFRESH_MS = ${Number(refreshMs)};
  var body = document.getElementById('brokers');

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function flag(name, on) {
    var node = el('span', 'flag' + (on ? ' on' : ''), name + ': ' + (on ? 'yes' : 'no'));
    node.setAttribute('data-field', name);
    return node;
  }

  function usageCell(rateLimit) {
    var cell = el('td');
    cell.setAttribute('data-field', 'rateLimit');
    if (!rateLimit) { cell.textContent = 'no limiter'; return cell; }
    rateLimit.rules.forEach(function (rule) {
      var line = el('div', 'rule');
      line.setAttribute('data-rule', rule.ruleId);
      line.appendChild(el('div', '', rule.ruleId + ': ' + rule.used + ' / ' + rule.limit + ' per ' + rule.windowMs +
        ' ms (' + Math.round(rule.ratio * 100) + '%), waiting ' + rule.waiters));
      var bar = el('div', 'bar');
      var fill = el('span');
      fill.style.width = Math.min(100, Math.round(rule.ratio * 100)) + '%';
      bar.appendChild(fill);
      line.appendChild(bar);
      cell.appendChild(line);
    });
    return cell;
  }

  function render(data) {
    var rows = document.createDocumentFragment();
    data.brokers.forEach(function (broker) {
      var row = el('tr');
      row.setAttribute('data-broker', broker.id);
      row.appendChild(el('td', '', broker.id));
      row.appendChild(el('td', '', broker.type));
      var status = el('td', 'status ' + broker.status, broker.status);
      status.setAttribute('data-field', 'status');
      row.appendChild(status);
      var flags = el('td');
      flags.appendChild(flag('mock', broker.mock));
      flags.appendChild(flag('offline', broker.offline));
      flags.appendChild(flag('required', broker.required));
      row.appendChild(flags);
      row.appendChild(usageCell(broker.rateLimit));
      rows.appendChild(row);
    });
    body.replaceChildren(rows);
    document.getElementById('updated').textContent = 'updated ' + data.generatedAt;
    document.getElementById('error').textContent = '';
  }

  function refresh() {
    fetch(DATA_URL, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(render)
      .catch(function (error) { document.getElementById('error').textContent = 'refresh failed: ' + error.message; })
      .then(function () { setTimeout(refresh, REFRESH_MS); });
  }
  refresh();
})();
</script>
</body>
</html>
`;
}
