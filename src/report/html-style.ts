/**
 * The HTML report's stylesheet. Inline because the report must open offline and fetch nothing;
 * the Content-Security-Policy allows exactly this text by its hash.
 */
export const STYLE = `
:root{--fg:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--bg:#ffffff;--panel:#f6f8fa;--accent:#1d4ed8;
--critical:#b42318;--high:#d9480f;--medium:#b7791f;--low:#2563eb;--info:#64748b;--ok:#15803d}
*{box-sizing:border-box}
html{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0}
main{max-width:1200px;margin:0 auto;padding:24px 28px 64px}
header.top{border-bottom:1px solid var(--line);padding-bottom:12px;margin-bottom:8px}
h1{font-size:1.6rem;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:1.25rem;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:1.02rem;margin:20px 0 8px}
.meta{color:var(--muted);font-size:.88rem;margin:0}
.meta code{font-size:.85em}
nav.toc{font-size:.88rem;margin:10px 0 0}
nav.toc a{color:var(--accent);text-decoration:none;margin-right:14px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}
.mono{word-break:break-all}
td code{white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--panel)}
.card .n{font-size:1.7rem;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card .k{color:var(--muted);font-size:.82rem;text-transform:uppercase;letter-spacing:.04em}
.card.sev-critical{border-top:4px solid var(--critical)}.card.sev-high{border-top:4px solid var(--high)}
.card.sev-medium{border-top:4px solid var(--medium)}.card.sev-low{border-top:4px solid var(--low)}.card.sev-info{border-top:4px solid var(--info)}
.card.bad .n{color:var(--critical)}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:hover{background:#fafbfc}
.sev{display:inline-block;min-width:64px;text-align:center;border-radius:10px;padding:1px 8px;font-size:.78rem;font-weight:600;color:#fff;text-transform:uppercase;letter-spacing:.03em}
.sev-critical .sev,.sev.critical{background:var(--critical)}.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}
.sev.low{background:var(--low)}.sev.info{background:var(--info)}
.muted{color:var(--muted)}
.status-failed{color:var(--critical);font-weight:600}.status-partial{color:var(--high);font-weight:600}.status-ok{color:var(--ok)}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0 10px;position:sticky;top:0;background:var(--bg);padding:8px 0;z-index:2}
.controls input,.controls select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px}
.controls input{min-width:280px}
/* Fixed layout: filtering thousands of rows then costs one cheap layout, not a re-measure of every cell. */
#findings-table{table-layout:fixed}
#findings-table th:nth-child(1){width:96px}#findings-table th:nth-child(2){width:170px}#findings-table th:nth-child(3){width:24%}
#findings-table th:nth-child(4){width:104px}#findings-table th:nth-child(5){width:150px}
#findings-table td{overflow-wrap:anywhere}
th button{all:unset;cursor:pointer}
th button:focus-visible{outline:2px solid var(--accent)}
th[aria-sort=ascending] button::after{content:" \\25B2";font-size:.7em}
th[aria-sort=descending] button::after{content:" \\25BC";font-size:.7em}
figure{margin:8px 0}
figcaption{color:var(--muted);font-size:.85rem}
svg text{font:11px system-ui,sans-serif;fill:#475569}
.cert{border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:10px 0;break-inside:avoid}
.cert h3{margin:0 0 6px;font-size:.98rem;word-break:break-all}
.cert dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;font-size:.86rem}
.cert dt{color:var(--muted)}
.cert dd{margin:0;word-break:break-word}
.cert dd a{text-decoration:none;color:inherit;margin-right:8px;white-space:nowrap}
.cert table{margin-top:8px}
.pill{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;font-size:.78rem;margin:0 4px 2px 0}
.pill.bound{border-color:var(--high);color:var(--high)}
.empty{color:var(--muted);font-style:italic}
.remedy{margin-top:4px;color:var(--muted);font-size:.84rem}
a.cert-link{color:var(--accent)}
.due-group h3 .muted{font-weight:400;font-size:.85rem}
table.due tr.within-7 td:first-child{color:var(--critical);font-weight:600}
p.more button{font:inherit;padding:5px 12px;border:1px solid var(--line);border-radius:6px;background:var(--panel);cursor:pointer}
/* Phone and narrow windows: each finding becomes a card instead of a row of one-character columns. */
@media (max-width:800px){
  main{padding:12px}
  .controls input{min-width:0;flex:1 1 100%}
  #findings-table,#findings-table tbody,#findings-table tr,#findings-table td,table.due,table.due tbody,table.due tr,table.due td{display:block;width:auto}
  #findings-table thead,table.due thead{display:none}
  #findings-table tr[hidden]{display:none}
  #findings-table tr,table.due tr{border:1px solid var(--line);border-radius:8px;margin:8px 0;padding:6px}
  #findings-table td,table.due td{border:0;padding:2px 4px}
  table{display:block;overflow-x:auto}
  td code{white-space:normal;overflow-wrap:anywhere}
  .cert dl{grid-template-columns:1fr}
}
@media print{
  html{font-size:11px}
  main{max-width:none;padding:0}
  nav.toc,.controls{display:none}
  .controls{position:static}
  section{break-before:page}
  section#summary{break-before:auto}
  tr,.card{break-inside:avoid}
  thead{display:table-header-group}
  tbody tr[hidden]{display:table-row}
  a{color:inherit;text-decoration:none}
}
`;
