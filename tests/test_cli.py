"""The command line as a board member uses it: outputs, languages, and every class of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli import run
from conftest import ROOT

EX = ROOT / "examples"
DON_DUA = EX / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_vietnamese_explanation_of_the_seed_case(capsys) -> None:
    code, out, _ = cli(capsys, "evaluate", str(DON_DUA), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--lang", "vi")
    assert code == 0
    assert "Kết luận: ĐỦ ĐIỀU KIỆN, KÈM ĐIỀU KIỆN" in out
    assert "4.470.000 ₫" in out  # 3.0 × 1,490,000
    assert "Đảng ủy xã phân công bằng quyết định" in out
    assert "mã băm " in out and "01/06/2021" in out


def test_english_and_counterfactual(capsys) -> None:
    code, out, _ = cli(capsys, "evaluate", str(EX / "vn.nghe-an" / "narrow-vote.yaml"), "--pack", "vn.nghe-an",
                       "--as-of", "2021-06-01", "--lang", "en")
    assert code == 0
    assert "Decision: INELIGIBLE" in out
    assert "would pass if the vote share were above 50 %; it is 46 %" in out


def test_money_formats_per_language(capsys) -> None:
    path = EX / "vn.nghe-an" / "quy-hop-secretary-and-head.yaml"
    _, vi, _ = cli(capsys, "evaluate", str(path), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--lang", "vi")
    _, en, _ = cli(capsys, "evaluate", str(path), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--lang", "en")
    assert "75 % × 1.490.000 ₫ = 1.117.500 ₫" in vi
    assert "75 % × 1,490,000 VND = 1,117,500 VND" in en
    assert "Tổng phải chi trả hằng tháng: 2.607.500 ₫" in vi


def test_json_contract_and_determinism(capsys) -> None:
    args = ["evaluate", str(DON_DUA), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--format", "json"]
    _, first, _ = cli(capsys, *args)
    _, second, _ = cli(capsys, *args)
    assert first == second
    data = json.loads(first)
    for key in ("decision", "criteria", "conditions", "missing", "fund", "allowance", "counterfactuals",
                "pack", "pack_hash", "as_of"):
        assert key in data
    assert data["decision"] == "eligible_with_conditions"
    assert data["fund"]["monthly"] == 4470000 and data["fund"]["currency"] == "VND"
    assert data["allowance"]["lines"][0] | {"source": None} == data["allowance"]["lines"][0] | {"source": None}
    assert data["allowance"]["lines"][0]["rate"] == 0 and data["allowance"]["monthly_total"] == 0
    crit = data["criteria"][0]
    assert {"id", "status", "source", "sentence", "compared"} <= set(crit)


def test_markdown_and_trace(capsys) -> None:
    code, out, _ = cli(capsys, "evaluate", str(DON_DUA), "--pack", "vn.nghe-an", "--as-of", "2021-06-01",
                       "--format", "markdown", "--trace")
    assert code == 0
    assert out.startswith("# ")
    assert "**ĐỦ ĐIỀU KIỆN, KÈM ĐIỀU KIỆN**" in out
    assert "criterion:nghe-an.secretary.special-hamlet-reinforcement:pass" in out  # the permission covers the case


def test_every_example_runs(capsys) -> None:
    from engine.policy.loader import find_packs

    packs = set(find_packs())
    for path in sorted(EX.glob("*/*")):
        pack = path.parent.name
        if pack not in packs:  # examples/batch holds tables, tested in test_batch.py
            continue
        code, out, err = cli(capsys, "evaluate", str(path), "--pack", pack, "--as-of", "2025-01-01", "--format", "json")
        assert code == 0, (path, err)
        assert json.loads(out)["pack"] == pack


def test_hainan_island_village(capsys) -> None:
    _, out, _ = cli(capsys, "evaluate", str(EX / "cn.hainan" / "island-village-450.yaml"), "--pack", "cn.hainan",
                    "--as-of", "2025-01-01", "--format", "json")
    assert json.loads(out)["decision"] == "eligible"
    _, out, _ = cli(capsys, "evaluate", str(EX / "cn.hainan" / "qionghai-town-village.yaml"), "--pack", "cn.hainan",
                    "--as-of", "2025-01-01", "--format", "json")
    data = json.loads(out)
    # outside the permission, not refused by it: the national rules decide, and the board is told
    assert data["decision"] == "eligible" and not data["counterfactuals"]
    assert [(a["criterion"], a["kind"]) for a in data["advisories"]] == [("cn.hainan.one-shoulder.small-island", "outside")]


def test_rules_list_and_show(capsys) -> None:
    code, out, _ = cli(capsys, "rules", "list")
    assert code == 0 and "vn.nghe-an" in out and "cn.henan" in out
    code, out, _ = cli(capsys, "rules", "show", "vn.nghe-an", "--as-of", "2024-07-01", "--lang", "en")
    assert code == 0
    assert "2,340,000" in out and "◀" in out
    assert "nghe-an.exception.non-member-head" in out and "obligation" in out
    assert "unset" in out  # Resolution 21/2023's rate


def _write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


GOOD = {"hamlet": {"id": "h", "country": "VN", "population": 500},
        "candidate": {"id": "c", "birth_date": "1980-01-01", "party_status": "full"},
        "posts": ["party_cell_secretary"]}


def _case(**changes) -> str:
    data = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split("__")
        for p in parents:
            node = node[p]
        node[leaf] = value
    return json.dumps(data)


@pytest.mark.parametrize("name,text,args,needles", [
    ("bad.json", '{"hamlet": {"id": "h",}', [], ["bad.json", "line 1", "not valid JSON"]),
    ("bad.yaml", "hamlet: [id: h\n", [], ["bad.yaml", "not valid YAML"]),
    ("f.json", _case(candidate__nickname="x"), [], ["field candidate.nickname", "is not a field of the case contract"]),
    ("f.json", _case(hamlet__population="many"), [], ["field hamlet.population", "expected a whole number", "'many'"]),
    ("f.json", _case(hamlet__population=-5), [], ["field hamlet.population", "must be at least 0"]),
    ("f.json", _case(candidate__vote_share=1.3), [], ["field candidate.vote_share", "expected a share between 0 and 1", "1.3"]),
    ("f.json", _case(candidate__birth_date="2030-01-01"), [], ["field candidate.birth_date", "after the as-of date"]),
    ("f.json", _case(posts=["chairman"]), [], ["field posts.0", "must be one of"]),
    ("f.json", _case(hamlet__country="CN"), [], ["field hamlet.country", "pack vn.nghe-an is for VN"]),
    ("f.json", "[1, 2]", [], ["must be a mapping"]),
    ("f.json", _case(), ["--as-of", "1990-01-01"], ["before every rule of vn.nghe-an"]),
    ("f.json", _case(), ["--pack", "vn.ha-noi"], ["unknown pack 'vn.ha-noi'"]),
    ("f.json", _case(), ["--as-of", "2021-13-01"], ["is not a date"]),
])
def test_bad_input_is_a_clear_message_and_exit_2(capsys, tmp_path, name, text, args, needles) -> None:
    path = _write(tmp_path, name, text)
    argv = ["evaluate", path, "--as-of", "2021-06-01", "--pack", "vn.nghe-an", *args]
    code, out, err = cli(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err


def test_missing_file_message_in_vietnamese(capsys, tmp_path) -> None:
    code, _, err = cli(capsys, "evaluate", str(tmp_path / "none.yaml"), "--pack", "vn", "--as-of", "2025-01-01",
                       "--lang", "vi")
    assert code == 2 and err.startswith("lỗi: ") and "không tìm thấy tệp" in err


def test_python_cli_py_works_like_the_installed_command() -> None:
    args = ["evaluate", str(DON_DUA), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--format", "json"]
    direct = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=ROOT)
    installed = subprocess.run([str(Path(sys.executable).parent / "kiemnhiem"), *args], capture_output=True,
                               text=True, cwd=ROOT)
    assert direct.returncode == installed.returncode == 0, direct.stderr + installed.stderr
    assert direct.stdout == installed.stdout
    bad = subprocess.run([sys.executable, str(ROOT / "cli.py"), "evaluate", "nope.yaml", "--pack", "vn"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_one_case_path_imports_no_table_or_solver_machinery() -> None:
    """Reading and explaining one dossier must not pay for polars, pyarrow or z3 (cold start)."""
    import subprocess
    import sys

    code = ("import sys, cli; cli.run(['evaluate', sys.argv[1], '--pack', 'vn.nghe-an', '--as-of', '2021-06-01']); "
            "print(sorted(m for m in ('polars', 'pyarrow', 'z3') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(DON_DUA)], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-500:] + done.stderr[-500:]


def test_every_help_text_in_the_catalogue_belongs_to_a_command_or_option() -> None:
    """The help texts live in the catalogues, keyed by command and option name (issue 15): a key
    naming no command or option (a typo, a renamed option) would silently leave its help out."""
    import click

    import cli
    from engine import i18n

    def codes(cmd: click.Command) -> set[str]:
        own = {cmd.help_code} | {f"{cmd.help_code}.{max(p.opts, key=len).lstrip('-')}"
                                 for p in cmd.params if isinstance(p, click.Option)}
        if isinstance(cmd, click.Group):
            for sub in cmd.commands.values():
                own |= codes(sub)
        return own

    possible = codes(cli.main)
    written = {code for code in i18n.catalogue("en") if code.startswith("cli.help.")}
    assert sorted(written - possible) == []
    commands = {code for code in possible if code.count(".") == 2}
    assert sorted(commands - written) == []  # every command says what it does


def test_errors_speak_chinese_and_vietnamese_without_english_words(capsys, tmp_path) -> None:
    """Issue 15: an input error in zh is Chinese (with Chinese punctuation); the Vietnamese list
    of allowed posts says "hoặc", not "or"; a date after the as-of date reads as a sentence."""
    code, _, err = cli(capsys, "evaluate", str(tmp_path / "none.yaml"), "--pack", "cn.hubei", "--lang", "zh")
    assert code == 2 and err.startswith("错误：") and "文件不存在" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("hamlet: {id: h1}\ncandidate: {id: c1, birth_date: '2030-01-01'}\nposts: [hamlet_head, boss]\n",
                   encoding="utf-8")
    code, _, err = cli(capsys, "evaluate", str(bad), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "--lang", "vi")
    assert code == 2
    assert "candidate.birth_date: sau ngày xét 2025-06-01 (nhận được: '2030-01-01')" in err
    assert "'party_committee_secretary' hoặc 'agency_head'" in err and " or " not in err
    code, _, err = cli(capsys, "evaluate", str(bad), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "--lang", "en")
    assert "candidate.birth_date: is after the as-of date 2025-06-01 (given: '2030-01-01')" in err
    code, _, err = cli(capsys, "evaluate", str(bad), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "--lang", "zh")
    assert "2 个问题：candidate.birth_date：晚于基准日 2025-06-01（填写的是：'2030-01-01'）；posts.1：" in err


def test_an_error_without_lang_is_said_in_english_and_the_packs_language(capsys, tmp_path) -> None:
    """A Chinese board that gives no --lang reads the error in Chinese (it read English and
    Vietnamese); a Vietnamese pack's, or an unknown pack's, is in English and Vietnamese."""
    missing = str(tmp_path / "missing.csv")
    code, _, err = cli(capsys, "batch", missing, "--pack", "cn.hainan", "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and err.startswith("error: ") and "\n错误：文件 " in err and "lỗi" not in err
    code, _, err = cli(capsys, "batch", missing, "--pack", "vn", "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and err.startswith("error: ") and "\nlỗi: tệp " in err
    code, _, err = cli(capsys, "batch", missing, "--pack", "nope", "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv"))
    assert code == 2 and "\nlỗi: " in err


def test_a_signal_wrapped_in_a_polars_panic_is_the_signal_not_a_traceback(monkeypatch, capsys) -> None:
    """SIGTERM's Terminated raised while polars runs Python code of its own comes back as polars'
    PanicException (a BaseException): the command still exits as for the signal, with its message."""
    import cli
    from polars.exceptions import PanicException

    def panics(**_: object) -> None:
        raise PanicException('called `Result::unwrap()` on an `Err` value: PyErr { type: <class '
                             '\'engine.io.atomic.Terminated\'>, value: Terminated() }')

    monkeypatch.setattr(cli.main, "main", panics)
    assert cli.run(["batch"]) == 143
    assert "terminated" in capsys.readouterr().err.lower()

    def other(**_: object) -> None:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(cli.main, "main", other)
    assert cli.run(["batch"]) == 3
