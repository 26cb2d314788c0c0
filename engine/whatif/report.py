"""The comparison as one self-contained HTML file: tables and SVG charts, no network at view time.

Every figure a reader sees carries a ``data-key`` naming the JSON field it shows, and the JSON
itself is embedded (``<script type="application/json" id="kiemnhiem-data">``), so a test in a
real browser can check that the page and the numbers agree. What the reader sees is in the
report's language throughout: decisions and causes in words (``engine.whatif.words``), numbers,
shares and dates as the language writes them (``engine.i18n``), and every dash that stands for an
undetermined amount explained.
"""

from __future__ import annotations

import html
import json
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.i18n import fmt_date, fmt_int, fmt_money, fmt_percent, fmt_share, t
from engine.whatif.words import decision_words

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}.kpi{display:inline-block;margin:0 24px 8px 0}
.kpi b{display:block;font-size:20px}.pos{color:#1a7f37}.neg{color:#b42318}.muted{color:#777;font-size:12px}
.open{cursor:help;border-bottom:1px dotted #777}svg{overflow:visible}td.m{white-space:nowrap}
"""

#: the font size of a chart's text, and the most characters of a row's label before it is cut
_FONT, _LABEL_CHARS = 12, 90


def _e(x: Any) -> str:
    return html.escape(str(x))


def _text_px(text: str, size: int = _FONT) -> int:
    """The width ``text`` takes in the page's sans-serif font, estimated generously (a wide
    character, a capital, a digit or small letter, a space or a mark): SVG text does not flow, so a
    chart must leave it the room it needs before the browser draws it."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch.isupper() or ch in "%₫@&MW—":
            width += 0.8
        elif ch in " .,:;'|!ilIjft()[]-/":
            width += 0.4
        else:
            width += 0.64
    return int(width * size) + 2


def _cut(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[:_LABEL_CHARS - 1] + "…"


def _bars(title: str, items: list[tuple[str, int]], key: str, money: str | None, lang: str, width: int = 640) -> str:
    """A horizontal bar chart in SVG (negative values to the left of the axis).

    Each row's label, its bar and its value get the room they need: the labels a column as wide
    as the longest, the values of negative bars a margin left of the longest of them and those of
    the others one right of theirs, so no figure is cut at the edge or drawn over a label."""
    if not items:
        return f'<h3>{_e(title)}</h3><p class="muted">{_e(t("impact.chart.empty", lang))}</p>'
    shown = [fmt_money(v, money, lang) if money else fmt_int(v, lang) for _, v in items]
    labels = [_cut(label) for label, _ in items]
    gap, row_h = 6, 22
    label_w = max(_text_px(label) for label in labels) + 2 * gap
    neg_room = max((_text_px(s) + gap for s, (_, v) in zip(shown, items) if v < 0), default=0)
    pos_room = max((_text_px(s) + gap for s, (_, v) in zip(shown, items) if v >= 0), default=0)
    most_neg = max((-v for _, v in items if v < 0), default=0)
    most_pos = max((v for _, v in items if v > 0), default=0)
    span = max(240, width - label_w - neg_room - pos_room)  # the bars' room, shared in proportion
    scale = span / ((most_neg + most_pos) or 1)
    axis = label_w + neg_room + round(most_neg * scale)
    width = label_w + neg_room + span + pos_room + gap
    h = row_h * len(items) + 10
    parts = [f'<svg role="img" aria-label="{_e(title)}" data-chart="{_e(key)}" width="{width}" height="{h}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="{_FONT}">',
             f'<line x1="{axis}" y1="0" x2="{axis}" y2="{h}" stroke="#999"/>']
    for i, ((full, value), label, text) in enumerate(zip(items, labels, shown)):
        y = i * row_h + 5
        w = max(1, round(abs(value) * scale))
        x = axis if value >= 0 else axis - w
        color = "#2e7d32" if value >= 0 else "#c62828"
        whole = f"<title>{_e(full)}</title>" if label != full else ""
        parts.append(f'<text data-role="label" x="{label_w - gap}" y="{y + 14}" text-anchor="end">{whole}{_e(label)}</text>')
        parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{row_h - 6}" fill="{color}"><title>{_e(text)}</title></rect>')
        tx, anchor = (x + w + gap // 2, "start") if value >= 0 else (x - gap // 2, "end")
        parts.append(f'<text data-role="value" x="{tx}" y="{y + 14}" text-anchor="{anchor}">{_e(text)}</text>')
    parts.append("</svg>")
    return f"<h3>{_e(title)}</h3>" + "".join(parts)


def _share(n: int, total: int, lang: str) -> str:
    """``n`` of ``total`` as a percentage with one decimal, as the language writes it (``63,9 %``)."""
    tenth = (Decimal(100 * n) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return fmt_percent(tenth, lang)


def render(data: dict[str, Any], cases: list[dict[str, Any]], lang: str, causes: dict[str, str] | None = None) -> str:
    """The page. ``causes`` names each change of the blame (``engine.whatif.words.cause_titles``);
    a change without a name is shown by its id."""
    L = lambda code, **params: t(f"report.{code}", lang, **params)  # noqa: E731
    named = causes or {}
    cur = data["currency"]
    undetermined = t("impact.undetermined", lang)
    dash = f'<span class="open" title="{_e(undetermined)}">—</span>'
    m = lambda v: fmt_money(v, cur, lang)  # noqa: E731
    dec = lambda d: decision_words(d, lang)  # noqa: E731
    day = fmt_date(date.fromisoformat(data["as_of"]), lang)
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{_e(L('title'))} — {_e(data['pack'])}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{_e(L('heading'))}</h1>",
           f'<p class="muted">{_e(data["pack"])} ({_e(data["pack_hash"])}) → {_e(data["proposal"])} '
           f'({_e(data["proposal_hash"])}) · {_e(L("as-of"))} {_e(day)}</p>']
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
    out.append("<div>" + "".join(
        f'<div class="kpi">{_e(label)}<b data-key="{k}" data-value="{_e(_get(data, k))}"'
        + (f' class="open" title="{_e(undetermined)}"' if _get(data, k) is None else "")
        + f">{_e(text)}</b></div>" for k, label, text in kpis) + "</div>")
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
                         f'<br><span class="muted">{_e(_share(n, total, lang))}</span></td>')
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
    unknown = t("impact.area.unknown", lang)
    for a in data["by_area"]:
        k = f"{a.get('hamlet_province') or unknown} / {a.get('hamlet_district') or unknown}"
        districts[k] = districts.get(k, 0) + int(a["delta_monthly"])
        open_cases[k] = open_cases.get(k, 0) + int(a.get("undetermined") or 0)
    top = sorted(districts.items(), key=lambda kv: -abs(kv[1]))[:20]
    # a district's bar is the change over the amounts known under both; the cases left out are named
    top = [(L("district-open", district=k, n=fmt_int(open_cases[k], lang)) if open_cases[k] else k, v) for k, v in top]
    title = L("chart.districts")
    if any(open_cases.values()):
        title = L("chart.known-part", title=title)
    out.append(_bars(title, top, "districts", cur, lang))
    # blame: each change by its title, the most cases first
    out.append(f"<h2>{_e(L('blame'))}</h2><p class='muted'>{_e(t('impact.blame.note', lang))}</p><table><tr><th class='l'>"
               f"{_e(L('blame.change'))}</th><th>{_e(L('blame.cases'))}</th></tr>")
    for k, v in sorted(data["blame"].items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f'<tr><td class="l">{_e(named.get(k, k))}</td>'
                   f'<td data-key="blame.{_e(k)}" data-value="{v}">{fmt_int(v, lang)}</td></tr>')
    out.append("</table>")
    broken = data.get("broken_scenarios")
    if broken is not None:
        out.append(f"<h2>{_e(L('broken'))}"
                   f" (<span data-key='broken_scenarios.count' data-value='{len(broken)}'>{fmt_int(len(broken), lang)}</span>)</h2>"
                   + ("<ul>" + "".join(f"<li>{_scenario(b)}</li>" for b in broken) + "</ul>" if broken
                      else f"<p>{_e(t('impact.broken.none', lang))}</p>"))
    # targets
    tg = data.get("targets") or {}
    if tg.get("proposal"):
        before_t = {(x["target"], x["scope"], x["area"]): x for x in tg["baseline"]}
        out.append(f"<h2>{_e(L('targets'))}</h2><p data-key='targets.changed' "
                   f"data-value='{tg['changed']}'>{_e(L('targets.changed'))}: {fmt_int(tg['changed'], lang)}</p><table>"
                   f"<tr><th class='l'>{_e(L('col.area'))}</th><th>{_e(L('col.in-force'))}</th>"
                   f"<th>{_e(L('col.proposal'))}</th></tr>")

        def show(z: dict[str, Any] | None, side: str) -> str:
            if z is None:
                return f'<span class="open" title="{_e(t("impact.target.absent-" + side, lang))}">—</span>'
            return _e(L("target-cell", count=fmt_int(z["count"], lang), n=fmt_int(z["n"], lang),
                        share=fmt_share(z["required_share"], lang), date=fmt_date(date.fromisoformat(z["by"]), lang),
                        mark="✔" if z["meets"] else "✘ −" + fmt_int(z["short_by"], lang)))

        for x in tg["proposal"][:200]:
            y = before_t.get((x["target"], x["scope"], x["area"]))
            scope = t(f"summary.scope.{x['scope']}", lang)
            out.append(f"<tr><td class='l'>[{_e(scope)}] {_e(x['area'])}</td><td>{show(y, 'in-force')}</td>"
                       f"<td>{show(x, 'proposal')}</td></tr>")
        out.append("</table>")
    # cases
    out.append(f"<h2>{_e(L('changed-cases'))} ({fmt_int(len(cases), lang)})</h2>")
    money_of = lambda v: dash if v is None else _e(m(v))  # noqa: E731
    if any(c["base_allowance_monthly_total"] is None or c["proposal_allowance_monthly_total"] is None for c in cases[:500]):
        out.append(f"<p class='muted' data-role='legend'>{_e(t('impact.legend.dash', lang))}</p>")
    out.append("<table><tr>" + "".join(f"<th class='l'>{_e(L('col.' + h))}</th>"
                                       for h in ("row", "hamlet", "candidate", "in-force", "proposal", "allowance", "cause"))
               + "</tr>")
    for c in cases[:500]:
        money = f"{money_of(c['base_allowance_monthly_total'])} → {money_of(c['proposal_allowance_monthly_total'])}"
        cause = t("phrase.list-separator", lang).join(named.get(k, k) for k in str(c["blame"]).split(";"))
        out.append(f"<tr><td>{_e(c['_row'])}</td><td class='l'>{_e(c['hamlet__id'])}</td><td class='l'>{_e(c['candidate__id'])}</td>"
                   f"<td class='l'>{_e(c.get('base_explanation') or dec(c['base_decision']))}</td>"
                   f"<td class='l'>{_e(c.get('proposal_explanation') or dec(c['proposal_decision']))}</td>"
                   f"<td class='m'>{money}</td><td class='l'>{_e(cause)}</td></tr>")
    out.append("</table>")
    out.append(f'<script type="application/json" id="kiemnhiem-data">{_script_json(data)}</script></body></html>')
    return "\n".join(out)


def _scenario(line: str) -> str:
    """A broken scenario, ``file:line  name``: the place in a code font, the name as written."""
    where, _, name = line.partition("  ")
    return f"<code>{_e(where)}</code> {_e(name)}" if name else _e(line)


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
