// The report as one self-contained HTML page, to publish beside an implementation's README: the
// summary and coverage first, then every check grouped by area with its rule, kind, result and
// evidence. Everything is inline; the page loads nothing (its Content-Security-Policy says so).

import { coverageLine, summaryLine } from './format.ts';
import type { CheckResult, Group, Report, Status } from './report.ts';
import { cite } from './rules.ts';

function html(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

const labels: Record<Status, string> = { pass: 'pass', fail: 'fail', advice: 'advice', note: 'note', skip: 'skipped' };

const style = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5d6676;--bg:#fbfbfd;--card:#fff;--line:#e3e6ee;
--pass:#1f7a44;--fail:#c0262d;--advice:#9a6200;--note:#2a5db0;--skip:#6b7280}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ee;--muted:#9aa3b2;--bg:#14161c;--card:#1c1f27;--line:#2c313d;
--pass:#4cc27a;--fail:#ff6b6b;--advice:#f0b54a;--note:#7aa7ff;--skip:#9aa3b2}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:980px;margin:0 auto;padding:32px 20px 64px}h1{font-size:26px;margin:0 0 4px}.muted{color:var(--muted)}
.verdict{font-size:20px;font-weight:600;margin:20px 0 8px}.verdict.ok{color:var(--pass)}.verdict.bad{color:var(--fail)}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0;padding:0;list-style:none}
.counts li{border:1px solid var(--line);background:var(--card);border-radius:8px;padding:6px 12px}
.counts b{font-size:18px;margin-right:4px}.s-pass b{color:var(--pass)}.s-fail b{color:var(--fail)}.s-advice b{color:var(--advice)}
.s-note b{color:var(--note)}.s-skip b{color:var(--skip)}
.panel{border:1px solid var(--line);background:var(--card);border-radius:10px;padding:14px 18px;margin:16px 0}
.panel h2{font-size:16px;margin:0 0 6px}.names{font-family:ui-monospace,Menlo,monospace;font-size:13px;word-spacing:4px}
nav{display:flex;flex-wrap:wrap;gap:6px 16px;margin:20px 0}nav a{color:inherit}
section.group{margin-top:28px}section.group>h2{font-size:19px;border-bottom:1px solid var(--line);padding-bottom:6px}
details.check{border:1px solid var(--line);border-left:4px solid var(--skip);background:var(--card);border-radius:8px;margin:6px 0}
details.check.pass{border-left-color:var(--pass)}details.check.fail{border-left-color:var(--fail)}
details.check.advice{border-left-color:var(--advice)}details.check.note{border-left-color:var(--note)}
summary{cursor:pointer;padding:8px 12px;display:flex;gap:10px;align-items:baseline}
.status{font-weight:700;min-width:62px;text-transform:uppercase;font-size:12px;letter-spacing:.04em}
.pass .status{color:var(--pass)}.fail .status{color:var(--fail)}.advice .status{color:var(--advice)}
.note .status{color:var(--note)}.skip .status{color:var(--skip)}
.kind{font:600 12px ui-monospace,Menlo,monospace;border:1px solid var(--line);border-radius:4px;padding:0 5px}
.body{padding:0 14px 12px 14px}.body p{margin:6px 0}cite{font-style:normal;color:var(--muted)}
.evidence{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-top:8px}
@media (max-width:700px){.evidence{grid-template-columns:1fr}}
pre{margin:0;padding:8px 10px;background:var(--bg);border:1px solid var(--line);border-radius:6px;font-size:12px;
white-space:pre-wrap;word-break:break-all}.label{font-size:12px;color:var(--muted);margin:2px 0}
`;

function check(result: CheckResult): string {
  const open = result.status === 'fail' || result.status === 'advice' ? ' open' : '';
  const evidence = (result.evidence ?? [])
    .map(
      (item) =>
        `<div class="evidence"><div><div class="label">request</div><pre>${html(item.request)}</pre></div><div><div class="label">response</div><pre>${html(item.response)}</pre></div></div>`,
    )
    .join('');
  const kind = result.rule.kind === 'P' ? 'a protocol rule' : 'a recommendation';
  return [
    `<details class="check ${result.status}" data-status="${result.status}" data-kind="${result.rule.kind}"${open}>`,
    `<summary><span class="status">${labels[result.status]}</span><span class="kind" title="${kind}">${result.rule.kind}</span><span class="name">${html(result.name)}</span></summary>`,
    '<div class="body">',
    `<p class="rule">Rule (${result.rule.kind}, ${kind}): ${html(result.rule.text)} <cite>${html(cite(result.rule))}</cite></p>`,
    result.reason ? `<p class="reason">${html(result.reason)}</p>` : '',
    ...(result.notes ?? []).map((note) => `<p class="notes">Note: ${html(note)}</p>`),
    result.changes ? `<p class="changes muted">Changes: ${html(result.changes)}</p>` : '',
    evidence,
    '</div></details>',
  ].join('');
}

/** The report as one HTML page that needs nothing else. */
export function formatHtml(report: Report): string {
  const { coverage } = report;
  const groups = [...new Set(report.results.map((result) => result.group))];
  const id = (group: Group) => `group-${group.replace(/\s+/g, '-')}`;
  const verdict = report.ok
    ? `<p class="verdict ok" data-testid="verdict">Conforms to Milky ${html(coverage.declared ?? coverage.known)}: no protocol rule broken</p>`
    : `<p class="verdict bad" data-testid="verdict">Does not conform: ${report.counts.fail} protocol ${report.counts.fail === 1 ? 'rule' : 'rules'} broken${report.strict && report.counts.advice > 0 ? `, ${report.counts.advice} advice (strict)` : ''}</p>`;
  const counts = (Object.keys(labels) as Status[])
    .map((status) => `<li class="s-${status}" data-status="${status}"><b>${report.counts[status]}</b>${labels[status]}</li>`)
    .join('');
  const names = (list: readonly string[]) => `<p class="names">${list.map(html).join(' ')}</p>`;
  const sections = groups.map((group) => {
    const results = report.results.filter((result) => result.group === group);
    const bad = results.filter((result) => result.status === 'fail').length;
    return `<section class="group" id="${id(group)}" data-group="${html(group)}"><h2>${html(group)} <span class="muted">${results.length} checks${bad ? `, ${bad} failed` : ''}</span></h2>${results.map(check).join('')}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Milky conformance of ${html(report.url)}</title><style>${style}</style></head>
<body><main>
<h1>Milky conformance</h1>
<p class="muted">${html(report.url)} · checked ${html(report.started)}</p>
<section data-testid="summary">${verdict}
<ul class="counts">${counts}</ul>
<p>${html(summaryLine(report))}</p>
<div class="panel" data-testid="coverage"><h2>${html(coverageLine(coverage))}</h2>
<p class="muted">${coverage.declared === undefined ? `The server declares no Milky version the suite can read; it is judged as Milky ${html(coverage.known)}.` : `The server declares Milky ${html(coverage.declared)}; this suite knows Milky ${html(coverage.known)}.`} An API the server answers with 404 is not offered: that is coverage, not a failure.</p>
${coverage.apis.missing.length > 0 ? `<p>Not offered:</p>${names(coverage.apis.missing)}` : ''}
${coverage.notExpected.length > 0 ? `<p>Newer than the declared version, not expected:</p>${names(coverage.notExpected)}` : ''}
</div>
<div class="panel"><h2>Two kinds of rule</h2><p><b class="kind">P</b> a protocol rule: breaking it fails the run. <b class="kind">C</b> a recommendation (this toolkit's choice where the protocol is silent, or HTTP's own rule): reported as advice, never a failure unless the run is strict. A note marks what a server of a newer version may send under the compatibility rules.</p></div>
</section>
<nav>${groups.map((group) => `<a href="#${id(group)}">${html(group)}</a>`).join('')}</nav>
${sections.join('\n')}
</main></body></html>
`;
}
