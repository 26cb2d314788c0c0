"""Comparing a proposal with the rules in force: exact deltas computed by hand, no change when
nothing changes, blame, sweeps, and the changed-cases file."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from cli import run
from conftest import ROOT
from pathlib import Path

CASES = """hamlet_id,hamlet_province,hamlet_district,hamlet_commune,hamlet_kind,hamlet_households,hamlet_area,hamlet_local_party_members,candidate_id,birth_date,party_status,permanent_residence,status,vote_share,disciplined,health_ok,posts,post_allowance_party_cell_secretary,post_allowance_hamlet_head
h1,Nghệ An,Yên Thành,A,village,200,none,0,c1,1985-01-01,full,no,commune_cadre,,,,party_cell_secretary,1755000,
h2,Nghệ An,Yên Thành,A,village,200,none,9,c2,1980-01-01,full,yes,commune_civil_servant,70 %,no,yes,hamlet_head,,2340001
h3,Nghệ An,Nghi Lộc,B,village,200,none,9,c3,1980-01-01,full,yes,hamlet_nonprofessional,70 %,no,yes,party_cell_secretary;hamlet_head,1000000,1000000
"""


def _run(capsys, *args: str) -> tuple[int, str]:
    code = run(["compare", *args])
    return code, capsys.readouterr().out


def test_budget_delta_matches_a_hand_computation(capsys, tmp_path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text(CASES, encoding="utf-8")
    code, out = _run(capsys, "--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "cadre-allowance-50.yaml"),
                     "--data", str(data), "--as-of", "2021-06-01", "--format", "json", "--cases", str(tmp_path / "c.csv"))
    assert code == 0
    r = json.loads(out)
    # by hand: commune staff were paid 0 % under Resolution 22/2019, the proposal pays 50 %:
    #   h1: 50 % of 1,755,000 = 877,500; h2: 50 % of 2,340,001 = 1,170,000.5 → 1,170,001 (half up); h3 unchanged
    assert r["delta_monthly"] == 877_500 + 1_170_001
    assert r["delta_yearly"] == 12 * (877_500 + 1_170_001)
    assert r["changed"] == 2 and r["gainers"] == {"count": 2, "monthly": 2_047_501}
    assert r["losers"]["count"] == 0
    assert r["blame"] == {"params.concurrent_rate_cadre": 2}
    assert r["transition"]["eligible_with_conditions"]["eligible_with_conditions"] == 1
    assert {a["hamlet_commune"]: a["delta_monthly"] for a in r["by_area"]} == {"A": 2_047_501, "B": 0}
    changed = pl.read_csv(tmp_path / "c.csv", infer_schema=False)
    assert changed["candidate__id"].to_list() == ["c1", "c2"]
    assert changed["posts"].to_list() == ["party_cell_secretary", "hamlet_head"]
    assert set(changed["blame"]) == {"params.concurrent_rate_cadre"}
    # h1 is secretary only: eligible with Project 01's obligation (Decree 33's direction is not yet in force)
    assert changed["base_explanation"][0] == changed["proposal_explanation"][0] == "ELIGIBLE WITH CONDITIONS"
    # the features that pin Resolution 22/2019's 0 % for commune staff break, and are named
    assert any("commune_cadre" in s for s in r["broken_scenarios"])
    assert len(r["broken_scenarios"]) == 3


def test_comparing_the_rules_with_themselves_changes_nothing(capsys, tmp_path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text(CASES, encoding="utf-8")
    code, out = _run(capsys, "--pack", "vn.nghe-an", "--set", "concurrent_rate_cadre=0", "--data", str(data),
                     "--as-of", "2021-06-01", "--format", "json")
    r = json.loads(out)
    assert code == 0 and r["changed"] == 0 and r["delta_monthly"] == 0 and r["blame"] == {}


def test_sweep_over_a_threshold(capsys, tmp_path) -> None:
    data = tmp_path / "villages.parquet"
    run(["generate", "--pack", "cn", "--rows", "3000", "-o", str(data)])
    capsys.readouterr()
    code, out = _run(capsys, "--pack", "cn", "--set", "cn_min_age=18..48:10",
                     "--data", str(data), "--as-of", "2025-01-01", "--format", "json")
    r = json.loads(out)
    assert code == 0 and [p["value"] for p in r["points"]] == ["18", "28", "38", "48"]
    eligible = [p["eligible"] for p in r["points"]]
    assert eligible == sorted(eligible, reverse=True) and eligible[0] > eligible[-1]
    assert r["points"][0]["changed"] == 0  # 18 is the rule in force


def test_a_rule_change_is_blamed_on_that_rule(capsys, tmp_path) -> None:
    data = tmp_path / "villages.parquet"
    run(["generate", "--pack", "cn.hainan", "--rows", "2000", "-o", str(data)])
    capsys.readouterr()
    # Hainan's islands are a permission: widening it changes advisories, never a decision
    code, out = _run(capsys, "--pack", "cn.hainan", "--proposal", str(ROOT / "proposals" / "hainan-islands-1000.yaml"),
                     "--data", str(data), "--as-of", "2025-01-01", "--format", "json")
    r = json.loads(out)
    assert code == 0 and r["changed"] > 0
    assert r["blame"] == {"params.hainan_island_max_population": r["changed"]}
    assert all(set(to) == {before} for before, to in r["transition"].items()), r["transition"]


def test_compare_needs_a_proposal_or_a_set(capsys, tmp_path) -> None:
    code = run(["compare", "--pack", "vn", "--data", str(tmp_path / "x.csv")])
    assert code == 2


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_html_report_renders_in_a_real_browser_and_matches_the_json(capsys, tmp_path) -> None:
    """The report opened in headless Chromium (Debian's package): every figure shown equals the
    JSON, and the SVG charts have their bars."""
    import re
    import subprocess

    import pytest

    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (`.ci/run` installs Debian's chromium package)")
    data = tmp_path / "cases.csv"
    data.write_text(CASES, encoding="utf-8")
    report = tmp_path / "report.html"
    args = ["--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "cadre-allowance-50.yaml"), "--data",
            str(data), "--as-of", "2021-06-01"]
    code, out = _run(capsys, *args, "--format", "json", "--report", str(report), "--lang", "vi")
    assert code == 0
    expected = json.loads(out)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "<svg" in dom and 'data-chart="districts"' in dom
    widths = [int(w) for w in re.findall(r'<rect[^>]*width="(\d+)"', dom)]
    assert widths and max(widths) > 100  # the district bars are drawn to scale
    shown = dict(re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', dom))
    assert int(shown["changed"]) == expected["changed"] == 2
    assert int(shown["delta_monthly"]) == expected["delta_monthly"] == 2_047_501
    assert int(shown["delta_yearly"]) == expected["delta_yearly"]
    assert int(shown["gainers.count"]) == expected["gainers"]["count"]
    for b, row in expected["transition"].items():
        for p, n in row.items():
            assert int(shown[f"transition.{b}.{p}"]) == n
    embedded = json.loads(re.search(r'<script type="application/json" id="kiemnhiem-data">(.*?)</script>', dom, re.S)
                          .group(1).replace("<\\/", "</"))
    assert embedded == expected
    shot = tmp_path / "report.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1200,1400", report.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def _test_features(features: Path, *args: str) -> subprocess.CompletedProcess:
    """``kiemnhiem test`` on exported features, in a process of its own."""
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), "test", *args, "--features", str(features)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_exported_scenarios_pin_the_proposal(capsys, tmp_path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text(CASES, encoding="utf-8")
    out = tmp_path / "scenarios"
    code, _ = _run(capsys, "--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "cadre-allowance-50.yaml"),
                   "--data", str(data), "--as-of", "2021-06-01", "--export-scenarios", str(out))
    assert code == 0
    text = next(out.glob("*.feature")).read_text(encoding="utf-8")
    assert text.startswith("# language: vi") and 'Thì kết luận là "eligible' in text
    assert "Và tổng phụ cấp hằng tháng là 877.500" in text

    with_proposal = _test_features(out, "--pack", "vn.nghe-an", "--proposal",
                                   str(ROOT / "proposals" / "cadre-allowance-50.yaml"))
    assert with_proposal.returncode == 0 and "2 passed, 0 failed" in with_proposal.stdout
    in_force = _test_features(out)
    assert in_force.returncode == 1 and "0 passed, 2 failed" in in_force.stdout


def _hostile_cases() -> str:
    """CASES with text that tries to add a step, a tag, a table row and a table cell."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(CASES)))
    rows[0]["candidate_id"] = 'c1\r\n    Và kết luận là "ineligible"\n  @injected'
    rows[0]["hamlet_commune"] = "A | hamlet_kind | town |\n      | households | 1"
    rows[1]["hamlet_id"] = "h2\n    Thì kết luận là \"ineligible\"\\"
    rows[1]["hamlet_district"] = "Yên Thành\\|"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_exported_scenarios_cannot_be_injected_by_the_data(capsys, tmp_path) -> None:
    """Line breaks, | and \\ in ids and text cells never add a step, a tag, a row or a cell: the
    Gherkin parser reads back exactly the scenarios and the values of the data."""
    import subprocess
    import sys

    from gherkin.parser import Parser

    data = tmp_path / "cases.csv"
    data.write_text(_hostile_cases(), encoding="utf-8")
    out = tmp_path / "scenarios"
    proposal = str(ROOT / "proposals" / "cadre-allowance-50.yaml")
    code, _ = _run(capsys, "--pack", "vn.nghe-an", "--proposal", proposal, "--data", str(data), "--as-of", "2021-06-01",
                   "--export-scenarios", str(out))
    assert code == 0
    text = next(out.glob("*.feature")).read_text(encoding="utf-8")
    assert "@injected" not in text.replace("\\u000a  @injected", "")
    doc = Parser().parse(text)
    scenarios = [c["scenario"] for c in doc["feature"]["children"] if "scenario" in c]
    assert len(scenarios) == 2
    for sc in scenarios:
        assert sc["tags"] == []
        keywords = [s["keyword"].strip() for s in sc["steps"]]
        assert keywords == ["Cho", "Và", "Và", "Và", "Khi", "Thì", "Và", "Và", "Và"], keywords  # the last: the advisories
        assert not any("ineligible" in s["text"] for s in sc["steps"])
    first, second = scenarios
    assert first["name"].endswith('c1\\u000d\\u000a    Và kết luận là "ineligible"\\u000a  @injected')
    cells = {r["cells"][0]["value"]: r["cells"][1]["value"] for r in first["steps"][0]["dataTable"]["rows"]}
    assert cells["commune"] == "A | hamlet_kind | town |\n      | households | 1"
    assert cells["kind"] == "village" and cells["households"] == "200"
    cells = {r["cells"][0]["value"]: r["cells"][1]["value"] for r in second["steps"][0]["dataTable"]["rows"]}
    assert cells["district"] == "Yên Thành\\|"
    # and kiemnhiem's own checks and run take the file as it is: both scenarios pass under the proposal
    run_ = subprocess.run([sys.executable, str(ROOT / "cli.py"), "test", "--pack", "vn.nghe-an", "--proposal", proposal,
                           "--features", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run_.returncode == 0 and "2 passed, 0 failed" in run_.stdout, run_.stdout + run_.stderr


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e", "\r"])
def test_a_line_break_without_a_gherkin_escape_in_a_cell_is_refused(capsys, tmp_path, char) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(CASES)))
    rows[0]["hamlet_district"] = f"Yên{char}Thành"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = tmp_path / "cases.csv"
    data.write_text(buf.getvalue(), encoding="utf-8", newline="")
    out = tmp_path / "scenarios"
    code = run(["compare", "--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "cadre-allowance-50.yaml"),
                "--data", str(data), "--as-of", "2021-06-01", "--no-features", "--export-scenarios", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "hamlet.district" in err and f"U+{ord(char):04X}" in err and "Gherkin" in err, err
    assert list(out.glob("*")) == []


HOSTILE_AREAS = {"hamlet_province": "</script>", "hamlet_district": "<!--<script>",
                 "hamlet_commune": "A\u2028B\u2029 & <b>bold</b> ]]>"}


def _hostile_report(capsys, tmp_path) -> tuple[Path, dict, str]:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(CASES)))
    for r in rows[:2]:
        r.update(HOSTILE_AREAS)
    rows[0]["candidate_id"] = "<img src=x onerror=alert(1)>"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = tmp_path / "cases.csv"
    data.write_text(buf.getvalue(), encoding="utf-8")
    report = tmp_path / "report.html"
    code, out = _run(capsys, "--pack", "vn.nghe-an", "--proposal", str(ROOT / "proposals" / "cadre-allowance-50.yaml"),
                     "--data", str(data), "--as-of", "2021-06-01", "--no-features", "--format", "json",
                     "--report", str(report))
    assert code == 0
    return report, json.loads(out), report.read_text(encoding="utf-8")


def test_report_embeds_hostile_names_as_inert_json(capsys, tmp_path) -> None:
    """A district named <!--<script> (which would keep the data's <script> element open past its
    end tag), a province closing the element, U+2028/U+2029: in the embedded JSON, <, >, & and
    the two separators are \\u escapes, and the JSON is the data; in the page, text is escaped."""
    import re

    _, expected, page = _hostile_report(capsys, tmp_path)
    assert {a["hamlet_district"] for a in expected["by_area"]} >= {"<!--<script>"}
    payload = re.search(r'<script type="application/json" id="kiemnhiem-data">(.*)</script></body></html>$', page, re.S)
    assert payload is not None
    assert not set(payload.group(1)) & set("<>&\u2028\u2029")
    assert json.loads(payload.group(1)) == expected
    assert page.count("<script") == 1 and page.count("</script>") == 1  # the data element only
    assert "<img" not in page and "<b>" not in page and "<!--" not in page
    assert "&lt;/script&gt; / &lt;!--&lt;script&gt;" in page  # the district's bar, labelled as text


def test_report_with_hostile_names_parses_in_a_real_browser(capsys, tmp_path) -> None:
    """Headless Chromium: a script placed after the report reads the embedded JSON with JSON.parse
    (if the data element swallowed the rest of the page, that script would never run), and no
    name became markup."""
    import html
    import re
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (`.ci/run` installs Debian's chromium package)")
    report, expected, page = _hostile_report(capsys, tmp_path)
    probe = tmp_path / "probe.html"
    probe.write_text(page + "<script>var d = JSON.parse(document.getElementById('kiemnhiem-data').textContent);"
                     "document.body.setAttribute('data-parsed', JSON.stringify(d));"
                     "document.body.setAttribute('data-scripts', document.scripts.length);</script>", encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120).stdout
    parsed = re.search(r'<body[^>]*data-parsed="([^"]*)"', dom)
    assert parsed is not None, dom[-2000:]
    assert json.loads(html.unescape(parsed.group(1))) == expected
    assert re.search(r'data-scripts="2"', dom)  # the data and the probe: no name became a script
    markup = re.sub(r'data-parsed="[^"]*"', "", dom)  # (an attribute's value keeps < and > as they are)
    assert "<img" not in markup and "<b>" not in markup


def test_exported_scenarios_of_a_chinese_pack_are_chinese_features_that_pin_the_proposal(tmp_path) -> None:
    """Regression: the export wrote English steps for a Chinese pack (Gherkin calls Chinese zh-CN),
    an amount with no value in a word the steps did not read, and a --set or proposal header that
    spoke English whatever its base pack's language."""
    from cli import run

    data, proposal, out = tmp_path / "cases.csv", tmp_path / "p.yaml", tmp_path / "scenarios"
    assert run(["generate", "--pack", "cn.hainan", "--rows", "200", "-o", str(data)]) == 0
    proposal.write_text("parameters:\n  hainan_island_max_population:\n    values:\n      2000-01-01: 1000\n",
                        encoding="utf-8")
    assert run(["compare", "--pack", "cn.hainan", "--proposal", str(proposal), "--data", str(data), "--as-of",
                "2025-06-01", "--export-scenarios", str(out)]) in (0, 1)  # 1: it breaks shipped scenarios
    text = next(out.glob("*.feature")).read_text(encoding="utf-8")
    assert text.startswith("# language: zh-CN\n功能: ") and "    假如使用规则包 \"cn.hainan\"" in text
    # a permission widened: the advisory goes, the decision stays, and the scenario pins both
    assert "那么结论为 \"" in text and "并且没有任何提示" in text

    changed = text.count("\n  场景: ")
    with_proposal = _test_features(out, "--pack", "cn.hainan", "--proposal", str(proposal))
    assert with_proposal.returncode == 0 and f"{changed} passed, 0 failed" in with_proposal.stdout, with_proposal.stdout
    assert _test_features(out).returncode == 1
