#include "score/report_style.h"

namespace driftd {

std::string_view report_stylesheet() {
  // Reference blue and current orange stay apart for the common forms of
  // colour blindness and in greyscale print (different lightness).
  return R"css(
:root{--ref:#2f6db5;--cur:#e8801a;--drift:#c0392b;--ok:#23824a;--ink:#1c2430;--muted:#5b6675;--line:#dde2e8;--panel:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#eef1f5}
main{max-width:1320px;margin:0 auto;padding:24px}
.verdict{border-radius:10px;padding:20px 24px;color:#fff;background:var(--ok)}
.verdict.drift{background:var(--drift)}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;opacity:.85}
.verdict h1{margin:2px 0 14px;font-size:28px;line-height:1.2}
.figures{display:flex;flex-wrap:wrap;gap:12px}
.figure{background:rgba(255,255,255,.16);border-radius:8px;padding:8px 14px;min-width:150px}
.figure b{display:block;font-size:20px;font-variant-numeric:tabular-nums}
.figure span{font-size:12px;opacity:.92}
section{margin-top:26px}
h2{font-size:17px;margin:0 0 10px}
.panel{background:#fff;border:1px solid var(--line);border-radius:10px;overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 12px;text-align:left;border-bottom:1px solid var(--line);vertical-align:top}
tr:last-child td{border-bottom:none}
th{font-size:12px;color:var(--muted);font-weight:600;background:var(--panel);white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{font-weight:600;overflow-wrap:anywhere}
td.name a{color:inherit;text-decoration:none}
td.name a:hover{text-decoration:underline}
tbody.feature+tbody.feature tr:first-child td{border-top:2px solid var(--line)}
tbody.feature.drift td.name{box-shadow:inset 3px 0 var(--drift)}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.drift{background:#fbe4e1;color:var(--drift)}
.badge.ok{background:#e3f3e9;color:var(--ok)}
.badge.error{background:#fff2dc;color:#955200;white-space:normal}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:16px}
.card{background:#fff;border:1px solid var(--line);border-top:4px solid var(--ok);border-radius:10px;padding:14px 16px;break-inside:avoid}
.card.drift{border-top-color:var(--drift)}
.card-head{display:flex;align-items:baseline;gap:10px;margin-bottom:8px}
.card-head h3{margin:0;font-size:16px;overflow-wrap:anywhere}
.card-head .badge{margin-left:auto}
.card-body{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
.card-body figure{margin:0;flex:1 1 440px;min-width:0}
.card-body .side{flex:1 1 330px;min-width:0}
.stats th,.stats td{padding:4px 6px;font-size:12.5px}
.counts{margin:10px 0 0;max-width:340px;display:grid;grid-template-columns:auto 1fr 1fr;gap:2px 12px;font-size:12.5px}
.counts dt{color:var(--muted)}
.counts dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
svg.plot{width:100%;height:auto;display:block}
.plot text{font-size:11px;fill:#4b5563}
.plot .ref{fill:var(--ref);fill-opacity:.42;stroke:var(--ref);stroke-width:1}
.plot .cur{fill:var(--cur);fill-opacity:.42;stroke:var(--cur);stroke-width:1}
.plot .grid{stroke:#e5e9ee}
.plot .axis{stroke:#8b95a3}
.plot .label{fill:var(--ink)}
.plot .other{font-style:italic}
.plot .empty{font-size:13px}
.plot .note{font-style:italic}
.plot g:hover rect{fill-opacity:.7}
footer{color:var(--muted);font-size:12px;margin:28px 0 8px}
@media print{
  body{background:#fff;font-size:12px}
  main{max-width:none;padding:0}
  .verdict{background:#fff;color:var(--ok);border:2px solid var(--ok)}
  .verdict.drift{background:#fff;color:var(--drift);border-color:var(--drift)}
  .figure{background:var(--panel);color:var(--ink)}
  .panel,.card{border-color:#b8c0ca}
  .card{border-top-color:var(--ok)}
  .card.drift{border-top-color:var(--drift)}
  .plot text{font-size:13px}
  .grid{grid-template-columns:1fr}
  .card-body{flex-wrap:nowrap}
  .card-body figure{flex:0 0 56%}
  .card-body .side{flex:1 1 0}
  .stats th,.stats td{padding:3px 4px;font-size:10.5px}
  .card,tr{break-inside:avoid}
  h2{break-after:avoid}
}
)css";
}

}  // namespace driftd
