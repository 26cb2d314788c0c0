"""The comparison as one self-contained HTML file: tables and SVG charts, no network at view time.

Every figure a reader sees carries a ``data-key`` naming the JSON field it shows, and the JSON
itself is embedded (``<script type="application/json" id="kiemnhiem-data">``), so a test in a
real browser can check that the page and the numbers agree.
"""

from __future__ import annotations

import html
import json
from typing import Any

from engine.contract.decision import DECISIONS
from engine.i18n import decision_label, fmt_int, fmt_money, t

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}.kpi{display:inline-block;margin:0 24px 8px 0}
.kpi b{display:block;font-size:20px}.pos{color:#1a7f37}.neg{color:#b42318}.muted{color:#777;font-size:12px}
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def _bars(title: str, items: list[tuple[str, int]], key: str, money: str | None, lang: str, width: int = 640) -> str:
    """A horizontal bar chart in SVG (negative values to the left of the axis)."""
    if not items:
        return f'<p class="muted">{_e(title)}: —</p>'
    top = max(abs(v) for _, v in items) or 1
    # labels get the room they need (up to 64 characters), the bars keep theirs
    row_h, label_w = 22, min(460, max(260, 7 * max(len(label[:64]) for label, _ in items)))
    width = max(width, label_w + 380)
    half = (width - label_w) // 2
    h = row_h * len(items) + 10
    parts = [f'<svg role="img" aria-label="{_e(title)}" data-chart="{_e(key)}" width="{width}" height="{h}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12">',
             f'<line x1="{label_w + half}" y1="0" x2="{label_w + half}" y2="{h}" stroke="#999"/>']
    for i, (label, value) in enumerate(items):
        y = i * row_h + 5
        w = max(1, round(abs(value) / top * (half - 10)))
        x = label_w + half if value >= 0 else label_w + half - w
        color = "#2e7d32" if value >= 0 else "#c62828"
        shown = fmt_money(value, money, lang) if money else fmt_int(value, lang)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(label[:64])}</text>')
        parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{row_h - 6}" fill="{color}"><title>{_e(shown)}</title></rect>')
        tx = x + w + 4 if value >= 0 else x - 4
        anchor = "start" if value >= 0 else "end"
        parts.append(f'<text x="{tx}" y="{y + 14}" text-anchor="{anchor}">{_e(shown)}</text>')
    parts.append("</svg>")
    return f"<h3>{_e(title)}</h3>" + "".join(parts)


def render(data: dict[str, Any], cases: list[dict[str, Any]], lang: str) -> str:
    L = lambda code, **params: t(f"report.{code}", lang, **params)  # noqa: E731
    cur = data["currency"]
    m = lambda v: fmt_money(v, cur, lang)  # noqa: E731
    dec = lambda d: decision_label(d, lang) if d in DECISIONS else d  # noqa: E731
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{_e(L('title'))} — {_e(data['pack'])}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{_e(L('heading'))}</h1>",
           f'<p class="muted">{_e(data["pack"])} ({_e(data["pack_hash"])}) → {_e(data["proposal"])} '
           f'({_e(data["proposal_hash"])}) · {_e(L("as-of"))} {_e(data["as_of"])}</p>']
    kpis = [("rows", L("kpi.cases"), fmt_int(data["rows"], lang)),
            ("changed", L("kpi.changed"), fmt_int(data["changed"], lang)),
            ("delta_monthly", L("kpi.delta-monthly"), m(data["delta_monthly"])),
            ("delta_yearly", L("kpi.delta-yearly"), m(data["delta_yearly"])),
            ("gainers.count", L("kpi.gaining"), fmt_int(data["gainers"]["count"], lang)),
            ("losers.count", L("kpi.losing"), fmt_int(data["losers"]["count"], lang))]
    if data["delta_monthly"] is None:  # some amounts unknown: the known part, and how much is left out
        kpis += [("delta_monthly_known", L("kpi.delta-monthly-known"), m(data["delta_monthly_known"])),
                 ("allowance_undetermined_rows", L("kpi.open-cases"), fmt_int(data["allowance_undetermined_rows"], lang)),
                 ("fund_undetermined_hamlets", L("kpi.open-funds"), fmt_int(data["fund_undetermined_hamlets"], lang))]
    out.append("<div>" + "".join(f'<div class="kpi">{_e(label)}<b data-key="{k}" data-value="{_e(_get(data, k))}">'
                                 f"{_e(text)}</b></div>" for k, label, text in kpis) + "</div>")
    # transitions
    decisions = sorted({d for row in data["transition"].values() for d in row} | set(data["transition"]))
    out.append(f"<h2>{_e(L('transitions'))}</h2><table><tr><th class='l'>"
               f"{_e(L('transitions-corner'))}</th>"
               + "".join(f"<th>{_e(dec(d))}</th>" for d in decisions) + "</tr>")
    total = data["rows"] - data["errors"] or 1
    for b in decisions:
        cells = []
        for p in decisions:
            n = data["transition"].get(b, {}).get(p, 0)
            cells.append(f'<td data-key="transition.{_e(b)}.{_e(p)}" data-value="{n}">{fmt_int(n, lang)}'
                         f'<br><span class="muted">{n / total:.1%}</span></td>')
        out.append(f"<tr><th class='l'>{_e(dec(b))}</th>{''.join(cells)}</tr>")
    out.append("</table>")
    # charts
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for b, row in data["transition"].items():
        for p, n in row.items():
            before[b] = before.get(b, 0) + n
            after[p] = after.get(p, 0) + n
    change = [(dec(d), after.get(d, 0) - before.get(d, 0)) for d in decisions]
    out.append(_bars(L("chart.decisions"), change, "decisions", None, lang))
    districts: dict[str, int] = {}
    open_cases: dict[str, int] = {}
    for a in data["by_area"]:
        k = f"{a.get('hamlet_province') or '—'} / {a.get('hamlet_district') or '—'}"
        districts[k] = districts.get(k, 0) + int(a["delta_monthly"])
        open_cases[k] = open_cases.get(k, 0) + int(a.get("undetermined") or 0)
    top = sorted(districts.items(), key=lambda kv: -abs(kv[1]))[:20]
    # a district's bar is the change over the amounts known under both; the cases left out are named
    top = [(L("district-open", district=k, n=fmt_int(open_cases[k], lang)) if open_cases[k] else k, v) for k, v in top]
    title = L("chart.districts")
    if any(open_cases.values()):
        title = L("chart.known-part", title=title)
    out.append(_bars(title, top, "districts", cur, lang))
    # blame
    out.append(f"<h2>{_e(L('blame'))}</h2><table><tr><th class='l'>"
               f"{_e(L('blame.change'))}</th><th>{_e(L('blame.cases'))}</th></tr>")
    for k, v in data["blame"].items():
        out.append(f'<tr><td class="l">{_e(k)}</td><td data-key="blame.{_e(k)}" data-value="{v}">{fmt_int(v, lang)}</td></tr>')
    out.append("</table>")
    broken = data.get("broken_scenarios")
    if broken is not None:
        out.append(f"<h2>{_e(L('broken'))}"
                   f" (<span data-key='broken_scenarios.count' data-value='{len(broken)}'>{len(broken)}</span>)</h2><ul>"
                   + "".join(f"<li>{_e(b)}</li>" for b in broken) + "</ul>")
    # targets
    tg = data.get("targets") or {}
    if tg.get("proposal"):
        before_t = {(x["target"], x["scope"], x["area"]): x for x in tg["baseline"]}
        out.append(f"<h2>{_e(L('targets'))}</h2><p data-key='targets.changed' "
                   f"data-value='{tg['changed']}'>{_e(L('targets.changed'))}: {tg['changed']}</p><table>"
                   f"<tr><th class='l'>{_e(L('col.area'))}</th><th>{_e(L('col.in-force'))}</th>"
                   f"<th>{_e(L('col.proposal'))}</th></tr>")
        for x in tg["proposal"][:200]:
            y = before_t.get((x["target"], x["scope"], x["area"]))
            show = lambda z: "—" if z is None else L(  # noqa: E731
                "target-cell", count=z["count"], n=z["n"], share=f"{z['required_share']:.0%}", date=z["by"],
                mark="✔" if z["meets"] else "✘ −" + str(z["short_by"]))
            out.append(f"<tr><td class='l'>[{_e(x['scope'])}] {_e(x['area'])}</td><td>{_e(show(y))}</td><td>{_e(show(x))}</td></tr>")
        out.append("</table>")
    # cases
    out.append(f"<h2>{_e(L('changed-cases'))} ({fmt_int(len(cases), lang)})</h2><table><tr>"
               + "".join(f"<th class='l'>{_e(L('col.' + h))}</th>"
                         for h in ("row", "hamlet", "candidate", "in-force", "proposal", "allowance", "cause"))
               + "</tr>")
    for c in cases[:500]:
        money = f"{m(c['base_allowance_monthly_total']) if c['base_allowance_monthly_total'] is not None else '—'} → " \
                f"{m(c['proposal_allowance_monthly_total']) if c['proposal_allowance_monthly_total'] is not None else '—'}"
        out.append(f"<tr><td>{_e(c['_row'])}</td><td class='l'>{_e(c['hamlet__id'])}</td><td class='l'>{_e(c['candidate__id'])}</td>"
                   f"<td class='l'>{_e(c.get('base_explanation') or dec(c['base_decision']))}</td>"
                   f"<td class='l'>{_e(c.get('proposal_explanation') or dec(c['proposal_decision']))}</td>"
                   f"<td>{_e(money)}</td><td class='l'>{_e(c['blame'])}</td></tr>")
    out.append("</table>")
    out.append(f'<script type="application/json" id="kiemnhiem-data">{_script_json(data)}</script></body></html>')
    return "\n".join(out)


# Inside <script>, "<!--" and "<script" change how the browser looks for the element's end (a
# district named "<!--<script>" kept it open past </script>), and U+2028/U+2029 end a line in
# older JavaScript: all are \u escapes, which JSON.parse turns back into the same text.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _script_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)


def _get(data: dict[str, Any], key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        node = node[part]
    return node
