"""The ``kiemnhiem`` command line (also ``python cli.py …``).

Commands import the engine lazily so that ``--help`` and cold starts stay fast. Every error a
user can cause is reported as one message, in the chosen language, with exit code 2; an
internal error says so with exit code 3, never with a traceback.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

# kiemnhiem uses no pydantic plugins; skipping their entry-point scan saves ~60 ms of every start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

LANGS = click.Choice(["vi", "en"])


def _lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD / không phải ngày dạng YYYY-MM-DD") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _refuse_overwrite(inputs: list[Path | None], outputs: dict[str, Path | None]) -> None:
    """An output that is an input (or the same file by another name or link), or two outputs on
    one file, is refused before anything is read: a user's table is never overwritten."""
    from engine.errors import InputError, Where

    given = [(name, p) for name, p in outputs.items() if p is not None]
    for name, out in given:
        for src in inputs:
            if src is not None and _same_file(out, src):
                raise InputError(en=f"{name} {out} is the input file {src}: it would be overwritten; choose another name",
                                 vi=f"{name} {out} chính là tệp đầu vào {src}: tệp sẽ bị ghi đè; hãy chọn tên khác",
                                 where=Where(file=str(out)))
    for i, (name, out) in enumerate(given):
        for other, out2 in given[i + 1:]:
            if _same_file(out, out2):
                raise InputError(en=f"{name} and {other} are the same file {out}",
                                 vi=f"{name} và {other} là cùng một tệp {out}", where=Where(file=str(out)))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from engine.io.atomic import write_text

    write_text(output, text)  # a temporary created exclusively, renamed when complete


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="kiemnhiem")
def main() -> None:
    """kiemnhiem: who may hold two grassroots posts at once, and what they are paid.

    Rules-as-code for concurrent holding (kiêm nhiệm / 一肩挑). Every answer cites its
    legal source and says what would have to change.
    """


@main.command()
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--pack", "-p", required=True, help="Rule pack id, e.g. vn.nghe-an (see `kiemnhiem rules list`).")
@click.option("--as-of", "as_of", callback=_date, help="Date the rules are taken as of (YYYY-MM-DD); default today.")
@click.option("--lang", type=LANGS, help="Language of the explanation; default the pack's.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--trace", is_flag=True, help="Show the rule firings that derived the decision.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra folder of packs, searched before the shipped rules/.")
@click.option("--proposal", type=click.Path(path_type=Path), help="Overlay (file or folder) applied on top of the pack.")
@click.option("--engine", type=click.Choice(["durable", "reference"]), default="durable", show_default=True,
              help="Back end: durable-rules, or the reference interpreter.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
def evaluate(dossier: Path, pack: str, as_of: date | None, lang: str | None, fmt: str, trace: bool,
             rules_dirs: tuple[Path, ...], proposal: Path | None, engine: str, output: Path | None) -> None:
    """Evaluate one DOSSIER (JSON or YAML: hamlet, candidate, posts) and explain the decision."""
    from engine import api
    from engine.explain.render import RENDERERS

    _refuse_overwrite([dossier, proposal], {"--output": output})
    day = as_of or date.today()
    policy = api.load_policy(pack, list(rules_dirs), proposal)
    api.check_as_of(policy, day)
    case = api.read_case_file(dossier, day)
    api.check_post_country(policy, case, str(dossier))
    decision = api.evaluate(policy, case, day, lang=lang or policy.header.lang, backend=engine, trace=trace)
    if engine == "reference":
        decision.engine = "reference"
    _emit(RENDERERS[fmt](decision), output)


@main.command()
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--candidates", type=click.Path(path_type=Path),
              help="A candidates table joined to TABLE (then a hamlets table) on hamlet_id.")
@click.option("--pack", "-p", required=True)
@click.option("--as-of", "as_of", callback=_date, help="Date the rules are taken as of (YYYY-MM-DD); default today.")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help="Results: .parquet, .csv, .xlsx or .jsonl (chosen by extension).")
@click.option("--errors", "errors_path", type=click.Path(path_type=Path), help="Rows that could not be read, as a table.")
@click.option("--summary", "summary_path", type=click.Path(path_type=Path),
              help="Write the summary here too (.json for JSON, otherwise text).")
@click.option("--lang", type=LANGS, help="Language of explanations and messages; default the pack's.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--proposal", type=click.Path(path_type=Path), help="Overlay applied on top of the pack.")
@click.option("--chunk-rows", default=200_000, show_default=True, help="Rows read and evaluated at a time (memory bound).")
def batch(table: Path, candidates: Path | None, pack: str, as_of: date | None, output: Path, errors_path: Path | None,
          summary_path: Path | None, lang: str | None, rules_dirs: tuple[Path, ...], proposal: Path | None,
          chunk_rows: int) -> None:
    """Evaluate every row of TABLE (CSV, XLSX, Parquet, JSON Lines): each answered or reported.

    Exit code 0 when every row was answered, 1 when some rows were reported as errors (see
    --errors), 2 when the files themselves cannot be used.
    """
    import json

    from engine import api
    from engine.batch import run as batch_mod

    _refuse_overwrite([table, candidates, proposal], {"--output": output, "--errors": errors_path,
                                                      "--summary": summary_path})
    day = as_of or date.today()
    policy = api.load_policy(pack, list(rules_dirs), proposal)
    api.check_as_of(policy, day)
    language = lang or policy.header.lang
    inputs = [table] if candidates is None else [table, candidates]
    result = batch_mod.run(policy, day, inputs, output, errors_path, language, chunk_rows)
    data = result.summary.finish()
    data["errors"] = result.errors
    text = result.summary.text(data)
    if result.unused_columns:
        note = "cột không dùng" if language == "vi" else "columns not used"
        click.echo(f"{note}: {', '.join(result.unused_columns)}", err=True)
    click.echo(text, nl=False)
    if summary_path is not None:
        payload = json.dumps(data, ensure_ascii=False, indent=2) + "\n" if summary_path.suffix == ".json" else text
        _emit(payload, summary_path)
    if result.errors:
        word = "hàng lỗi, xem" if language == "vi" else "rows could not be read; see"
        click.echo(f"{result.errors:,} {word} {errors_path or 'the error column of ' + str(output)}", err=True)
        raise SystemExit(1)


@main.command()
@click.option("--pack", "-p", required=True)
@click.option("--proposal", type=click.Path(exists=True, path_type=Path), help="Overlay in the pack format.")
@click.option("--set", "sets", multiple=True, help="name=value, or a sweep name=lo..hi:step (one sweep at a time).")
@click.option("--data", required=True, type=click.Path(path_type=Path), help="Cases: .csv, .xlsx, .parquet or .jsonl.")
@click.option("--as-of", "as_of", callback=_date, help="Default today.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--cases", "cases_path", type=click.Path(path_type=Path),
              help="Write every changed case (both outcomes and the blame) to .csv, .xlsx or .parquet.")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="A self-contained HTML report (tables and SVG charts; opens offline).")
@click.option("--export-scenarios", "export_dir", type=click.Path(path_type=Path),
              help="Write the changed cases as Gherkin scenarios pinning the proposal's behaviour.")
@click.option("--no-features", is_flag=True, help="Do not run features/ to find the scenarios the proposal breaks.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--lang", type=LANGS, default="en", show_default=True)
def compare(pack: str, proposal: Path | None, sets: tuple[str, ...], data: Path, as_of: date | None, fmt: str,
            cases_path: Path | None, report_path: Path | None, export_dir: Path | None, no_features: bool,
            rules_dirs: tuple[Path, ...], lang: str) -> None:
    """Compare a proposal with the rules in force on a population: who flips, what it costs, and why."""
    import json

    from engine.whatif import compare as cmp
    from engine.i18n import fmt_money

    _refuse_overwrite([data, proposal], {"--cases": cases_path, "--report": report_path})
    day = as_of or date.today()
    parsed = dict(cmp.parse_set(s) for s in sets)
    if proposal is None and not parsed:
        raise click.UsageError("give --proposal or --set / cần --proposal hoặc --set")
    sweep = {k: v for k, v in parsed.items() if len(v) > 1}
    fixed = {k: v[0] for k, v in parsed.items() if len(v) == 1}
    if sweep:
        (name, values), = sweep.items()
        base, points = cmp.sweep_policies(pack, fixed, name, values, list(rules_dirs))
        rows = cmp.sweep(base, points, day, data)
        if fmt == "json":
            click.echo(json.dumps({"parameter": name, "points": rows}, ensure_ascii=False, indent=2))
        else:
            click.echo(f"{name}: {'value':>10} {'eligible':>10} {'changed':>9} {'cost/month':>18}")
            for r in rows:
                click.echo(f"{'':>{len(name)}}  {r['value']:>10} {r['eligible']:>10,} {r['changed']:>9,} "
                           f"{fmt_money(r['cost_monthly'], 'VND' if pack.startswith('vn') else 'CNY', lang):>18}")
        return
    base, prop, changes = cmp.policies(pack, proposal, fixed, list(rules_dirs))
    result = cmp.compare(base, prop, changes, day, data)
    out = result.to_json(base, prop, day)
    if result.cases:
        result.cases = [cmp.explanations(pl_concat(result.cases), base, prop, lang, day)]
    if proposal is not None and not no_features:
        out["broken_scenarios"] = cmp.broken_scenarios(pack, proposal)
    if cases_path is not None:
        from engine.batch.run import Writer

        frame = pl_concat(result.cases)
        with Writer(cases_path, False, day) as writer:
            writer.columns = frame.columns
            writer.write(frame)
    if report_path is not None:
        from engine.whatif.report import render

        _emit(render(out, pl_concat(result.cases).to_dicts() if result.cases else [], lang), report_path)
    if export_dir is not None:
        from engine.whatif.scenarios import export

        n = export(prop, day, data, pl_concat(result.cases) if result.cases else None, export_dir)
        click.echo(f"{n} scenario(s) → {export_dir}", err=True)
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    cur = base.currency
    click.echo(f"{pack} ({base.hash}) → {prop.id} ({prop.hash}), as of {day}: {out['rows']:,} rows, "
               f"{out['changed']:,} changed, {out['errors']:,} errors")
    click.echo("transitions (baseline → proposal):")
    for b_dec, row in sorted(out["transition"].items()):
        for p_dec, n in sorted(row.items()):
            mark = "" if b_dec == p_dec else "  ←"
            click.echo(f"  {b_dec:<26} → {p_dec:<26} {n:>10,}{mark}")
    open_rows, open_funds = out["allowance_undetermined_rows"], out["fund_undetermined_hamlets"]
    if out["delta_monthly"] is not None:
        click.echo(f"monthly change: {fmt_money(out['delta_monthly'], cur, lang)} (allowances "
                   f"{fmt_money(out['delta_allowance_monthly'], cur, lang)}, funds {fmt_money(out['delta_fund_monthly'], cur, lang)}); "
                   f"yearly {fmt_money(out['delta_yearly'], cur, lang)}")
    else:  # never a 0 for what is unknown: the known part, and what it leaves out
        click.echo(f"monthly change: undetermined — {fmt_money(out['delta_monthly_known'], cur, lang)} over the amounts "
                   f"known under both (allowances {fmt_money(out['delta_allowance_monthly_known'], cur, lang)}, funds "
                   f"{fmt_money(out['delta_fund_monthly_known'], cur, lang)}); {open_rows:,} case(s) and {open_funds:,} "
                   f"hamlet fund(s) undetermined under the baseline or the proposal")
    click.echo(f"gaining: {out['gainers']['count']:,} (+{fmt_money(out['gainers']['monthly'], cur, lang)}), "
               f"losing: {out['losers']['count']:,} ({fmt_money(out['losers']['monthly'], cur, lang)})")
    if out["blame"]:
        click.echo("caused by: " + ", ".join(f"{k} ({v:,})" for k, v in out["blame"].items()))
    if out.get("broken_scenarios"):
        click.echo(f"scenarios of features/ this proposal breaks ({len(out['broken_scenarios'])}):")
        for name in out["broken_scenarios"]:
            click.echo(f"  ✘ {name}")


def pl_concat(frames: list) -> Any:
    import polars as pl

    return pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame({"row": []})


@main.command()
@click.option("--pack", "-p", required=True, help="Shapes the data: vn.nghe-an, vn.da-nang, cn.*.")
@click.option("--rows", default=1000, show_default=True)
@click.option("--seed", default=1, show_default=True)
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path))
def generate(pack: str, rows: int, seed: int, output: Path) -> None:
    """Write a synthetic province (the batch input format) calibrated on the seeds' figures."""
    from engine.batch.synth import province

    from engine.io.atomic import AtomicFile

    suffix = output.suffix.lower()
    if suffix not in (".parquet", ".csv", ".xlsx", ".jsonl", ".ndjson"):
        raise click.BadParameter("use .parquet, .csv, .xlsx or .jsonl", param_hint="--output")
    frame = province(pack, rows, seed)
    with AtomicFile(output) as out, out.errors():
        if suffix == ".parquet":
            frame.write_parquet(out.file)
        else:
            import polars as pl

            flat = frame.with_columns(pl.col("birth_date").cast(pl.String))
            if suffix == ".csv":
                flat.write_csv(out.file)
            elif suffix == ".xlsx":
                from engine.batch.run import xlsx_bytes

                out.write(xlsx_bytes(flat, None, "cases", autofit=False))
            else:
                flat.write_ndjson(out.file)
    click.echo(f"{rows:,} rows → {output}")


@main.group()
def rules() -> None:
    """List and show rule packs."""


@rules.command("list")
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
def rules_list(lang: str, fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """The packs available, with what each extends."""
    from engine import api
    from engine.policy.loader import find_packs, rules_dirs as dirs

    rows = []
    for pack_id in sorted(find_packs(dirs(list(rules_dirs)))):
        policy = api.load_policy(pack_id, list(rules_dirs))
        h = policy.header
        rows.append({"id": pack_id, "version": h.version, "hash": policy.hash, "extends": h.extends,
                     "jurisdiction": h.jurisdiction, "currency": h.currency,
                     "title": h.title.vi if lang == "vi" else h.title.en,
                     "criteria": len(policy.criteria), "parameters": len(policy.params)})
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        ext = f" ← {r['extends']}" if r["extends"] else ""
        click.echo(f"{r['id']:<12} {r['version']:<10} {r['hash']}  {r['title']}{ext}")


@rules.command("show")
@click.argument("pack")
@click.option("--lang", type=LANGS, help="Language; default the pack's.")
@click.option("--as-of", "as_of", callback=_date, help="Mark the values in force on this date.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--proposal", type=click.Path(path_type=Path))
def rules_show(pack: str, lang: str | None, as_of: date | None, fmt: str, rules_dirs: tuple[Path, ...],
               proposal: Path | None) -> None:
    """A pack's sources, parameters with dated values, and rules with their sources."""
    from engine import api
    from engine.explain.pack import pack_json, pack_text

    policy = api.load_policy(pack, list(rules_dirs), proposal)
    language = lang or policy.header.lang
    if fmt == "json":
        import json

        click.echo(json.dumps(pack_json(policy), ensure_ascii=False, indent=2))
    else:
        click.echo(pack_text(policy, language, as_of), nl=False)


@main.command()
@click.option("--lang", type=LANGS, default="en", show_default=True)
def steps(lang: str) -> None:
    """The phrasebook: every step sentence a feature may use, with parameters and an example."""
    from engine.bdd.phrasebook import render

    click.echo(render(lang), nl=False)


@main.command("test")
@click.option("--pack", "-p", help="Apply --proposal to this pack (scenarios of other packs run unchanged).")
@click.option("--proposal", type=click.Path(exists=True, path_type=Path),
              help="Overlay (file or folder, pack format) replacing or adding parameters and rules.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra folder of packs, searched before the shipped rules/.")
@click.option("--features", type=click.Path(exists=True, path_type=Path),
              help="Folder (or file) of .feature files; default the shipped features/.")
@click.option("--coverage", is_flag=True, help="Print which rules the scenarios exercise, both ways.")
@click.option("-k", "keyword", help="Only scenarios whose name matches (pytest -k).")
@click.option("--lang", type=LANGS, default="en", show_default=True, help="Language of the report.")
def test_cmd(pack: str | None, proposal: Path | None, rules_dirs: tuple[Path, ...], features: Path | None,
             coverage: bool, keyword: str | None, lang: str) -> None:
    """Run the policy's features (Gherkin) against the packs, or against a proposal."""
    from engine.bdd.runner import render_run, run_features

    run = run_features(features, list(rules_dirs), pack, proposal, keyword, coverage)
    click.echo(render_run(run, lang), nl=False, err=bool(run.lint))
    raise SystemExit(run.exit_code)


@rules.command("lint")
@click.argument("packs", nargs=-1)
@click.option("--pack", "-p", "pack_opt", help="The pack a proposal (--proposal, or a file given to --rules) applies to.")
@click.option("--rules", "rules_path", type=click.Path(exists=True, path_type=Path),
              help="A folder of packs, or a proposal file to check on top of --pack.")
@click.option("--proposal", type=click.Path(exists=True, path_type=Path))
@click.option("--as-of", "as_of", callback=_date, help="Check one date only (default: every date on which a value changes).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("--coverage", is_flag=True, help="Also run the features and report rules no scenario exercises both ways.")
def rules_lint(packs: tuple[str, ...], pack_opt: str | None, rules_path: Path | None, proposal: Path | None,
               as_of: date | None, fmt: str, lang: str, coverage: bool) -> None:
    """Find gaps, unreachable rules, date and source mistakes, and overlay slips in packs.

    Exit code 1 when there is an error finding, 0 otherwise. Logical findings come with a
    witness case that can be pasted into `kiemnhiem evaluate`.
    """
    import json

    import yaml

    from engine import api
    from engine.errors import RuleFileError
    from engine.verify.lint import lint
    from engine.policy.loader import find_packs, rules_dirs as dirs
    from engine.verify.solve import Finding

    extra: list[Path] = []
    if rules_path is not None:
        if rules_path.is_dir():
            extra.append(rules_path)
        else:
            proposal = rules_path
    names = list(packs) + ([pack_opt] if pack_opt else [])
    if proposal is not None and not pack_opt:
        raise click.UsageError("a proposal needs --pack / một đề xuất cần --pack")
    if not names:
        names = sorted(find_packs(dirs(extra)))
    findings: list[Finding] = []
    for name in names:
        try:
            policy = api.load_policy(name, extra, proposal if name == pack_opt else None)
        except RuleFileError as exc:
            w = exc.where
            findings.append(Finding("load-error", "error", w.pack or name, [w.rule] if w.rule else [], exc.en, exc.vi,
                                    file=w.file, line=w.line))
            continue
        findings += lint(policy, as_of)
    if coverage:
        from engine.bdd.runner import run_features
        from engine.verify.lint import coverage_findings

        run = run_features(coverage=True)  # the shipped features, in this process
        findings += coverage_findings(names, run.coverage.gaps if run.coverage else ())
    unique = {(f.code, f.pack, tuple(f.rules), f.file): f for f in findings}
    findings = list(unique.values())
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2, default=str))
    else:
        for f in findings:
            click.echo(f.message(lang) + ("" if f.proof else " [best-effort]"))
            if f.witness is not None:
                label = "hồ sơ minh họa" if lang == "vi" else "witness"
                click.echo(f"    {label} (as of {f.as_of}):")
                for line in yaml.safe_dump(f.witness, allow_unicode=True, sort_keys=False).splitlines():
                    click.echo(f"      {line}")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        click.echo(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)")
    if any(f.severity == "error" for f in findings):
        raise SystemExit(1)


def run(argv: list[str] | None = None) -> int:
    """Entry point that turns user errors into messages and exit code 2."""
    from engine.io.atomic import Terminated, sigterm_raises
    from engine.errors import KiemnhiemError

    try:
        with sigterm_raises():  # SIGTERM cleans up (temporaries removed) like Ctrl-C, then exits 143
            main.main(args=argv, prog_name="kiemnhiem", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except Terminated:
        click.echo("terminated", err=True)
        return 143
    except click.ClickException as exc:
        exc.show()
        return 2
    except KiemnhiemError as exc:
        lang = _lang_from_argv(sys.argv[1:] if argv is None else argv)
        if lang in ("vi", "en"):
            click.echo(f"{'lỗi' if lang == 'vi' else 'error'}: {exc.message(lang)}", err=True)
        else:  # no language chosen: say it in both
            click.echo(f"error: {exc.message('en')}\nlỗi: {exc.message('vi')}", err=True)
        return 2
    except (BrokenPipeError, KeyboardInterrupt):
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        click.echo(f"internal error / lỗi nội bộ: {type(exc).__name__}: {first}", err=True)
        return 3
    return 0


def entry() -> None:
    raise SystemExit(run())


if __name__ == "__main__":
    entry()
