/** The dashboard's stylesheet, inlined into the page: a light theme that prints and screenshots well. */
export const DASHBOARD_STYLES = String.raw`
:root { --ink: #1d2433; --muted: #5d6b82; --line: #d8dee9; --panel: #ffffff; --page: #f3f5f9; --accent: #2f6fde; --lag: #d9480f; --ok: #2b8a3e; --warn: #e67700; --bad: #c92a2a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--page); }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; padding: 14px 24px; background: #1d2433; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header h1 small { font-weight: 400; color: #aab4c8; margin-left: 6px; }
.state { padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; letter-spacing: .04em; background: #5d6b82; }
.state.RUNNING { background: var(--ok); } .state.REBALANCING, .state.CREATED { background: var(--warn); } .state.ERROR { background: var(--bad); }
.stats { display: flex; flex-wrap: wrap; gap: 18px; margin-left: auto; }
.stat { min-width: 88px; } .stat b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; } .stat span { font-size: 11px; color: #aab4c8; text-transform: uppercase; letter-spacing: .05em; }
#updated { font-size: 12px; color: #aab4c8; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; padding: 16px 24px 32px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px 16px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
section h2 { margin: 0 0 10px; font-size: 15px; font-weight: 600; }
section h2 small { font-weight: 400; color: var(--muted); margin-left: 6px; }
.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.graph svg { display: block; }
.graph { overflow: auto; max-height: 640px; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfe; }
.graph svg text { font: 11px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; fill: var(--ink); }
.graph .frame { fill: #f6f8fc; stroke: #c5cedd; } .graph .frame.global { fill: #fbf7ee; }
.graph .frame-title { font: 600 12px system-ui, sans-serif !important; fill: var(--muted) !important; }
.graph .node rect, .graph .node path { stroke-width: 1.2; }
.graph .topic rect { fill: #e3edff; stroke: #6b93d6; } .graph .topic.repartition rect { fill: #fff1dc; stroke: #e8a33d; } .graph .topic.changelog rect { fill: #eef0f3; stroke: #9aa5b5; } .graph .topic.dynamic rect { fill: #f3e8ff; stroke: #9c6ad6; }
.graph .processor rect { fill: #fff; stroke: #8592a8; } .graph .source rect, .graph .sink rect { fill: #fff; stroke: #2f6fde; }
.graph .store path, .graph .store ellipse { fill: #e6f6ea; stroke: #40a05a; }
.graph .edge { fill: none; stroke: #8592a8; stroke-width: 1.2; } .graph .edge.store { stroke: #40a05a; stroke-dasharray: 4 3; } .graph .edge.changelog { stroke: #9aa5b5; stroke-dasharray: 2 3; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 0 0 8px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 14px; height: 10px; border-radius: 3px; margin-right: 5px; vertical-align: -1px; border: 1px solid; }
.chart { display: block; } .chart .axis { stroke: var(--line); } .chart .rate { fill: none; stroke: var(--accent); stroke-width: 1.5; } .chart .lag { fill: none; stroke: var(--lag); stroke-width: 1.5; }
.chart .area-rate { fill: rgba(47, 111, 222, .10); } .chart .area-lag { fill: rgba(217, 72, 15, .10); } .chart text { font-size: 10px; fill: var(--muted); }
.big-charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-bottom: 10px; }
.big-charts h3 { margin: 0 0 4px; font-size: 12px; color: var(--muted); font-weight: 600; }
.rate-text { color: var(--accent); font-weight: 600; } .lag-text { color: var(--lag); font-weight: 600; }
.bar { position: relative; height: 10px; min-width: 140px; background: #e9edf3; border-radius: 5px; overflow: hidden; } .bar i { position: absolute; inset: 0 auto 0 0; background: var(--ok); }
.instances { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 10px; }
.instance { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; } .instance.self { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent) inset; }
.instance h3 { margin: 0 0 6px; font-size: 13px; } .instance h3 em { font-style: normal; font-size: 11px; color: var(--accent); margin-left: 6px; }
.tag { display: inline-block; margin: 0 4px 4px 0; padding: 1px 6px; border-radius: 4px; background: #eef2f8; font-size: 12px; }
.tag.restoring { background: #fff1dc; }
.reason { display: inline-block; margin: 0 8px 6px 0; padding: 3px 8px; border-radius: 5px; background: #fdeaea; color: #8a1f1f; }
.reason b { margin-left: 6px; }
.browser form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 10px; }
.browser label { display: flex; flex-direction: column; font-size: 11px; color: var(--muted); gap: 2px; }
.browser input, .browser select, .browser button { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 5px; background: #fff; }
.browser button { background: var(--accent); border-color: var(--accent); color: #fff; cursor: pointer; }
.browser pre { margin: 0; max-height: 320px; overflow: auto; padding: 10px; border-radius: 6px; background: #f6f8fc; border: 1px solid var(--line); white-space: pre-wrap; word-break: break-word; }
.browser .status { font-size: 12px; margin-bottom: 4px; color: var(--muted); } .browser .status.error { color: var(--bad); }
`;
