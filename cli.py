"""The ``kiemnhiem`` command line (also ``python cli.py …``).

Argument parsing and printing only: every command calls ``engine.api`` (imported lazily, so that
``--help`` and cold starts stay fast), which does the work and the reports' formatting. Every
error a user can cause is reported as one message, in the chosen language, with exit code 2; an
internal error says so with exit code 3, never with a traceback.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from engine import i18n

# kiemnhiem uses no pydantic plugins; skipping their entry-point scan saves ~60 ms of every start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

LANGS = click.Choice(list(i18n.LANGS))


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


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from engine.api import write_text

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

    api.refuse_overwrite([dossier, proposal], {"--output": output})
    decision = api.evaluate_dossier(dossier, pack, as_of, lang=lang, backend=engine, trace=trace, rules=rules_dirs,
                                    proposal=proposal)
    _emit(api.render_decision(decision, fmt), output)


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
    from engine import api

    result = api.run_batch(table, pack, output, as_of, candidates=candidates, errors_path=errors_path,
                           summary_path=summary_path, lang=lang, rules=rules_dirs, proposal=proposal, chunk_rows=chunk_rows)
    if (note := result.unused_note()) is not None:
        click.echo(note, err=True, nl=False)
    click.echo(result.summary_text, nl=False)
    if (note := result.errors_note()) is not None:
        click.echo(note, err=True, nl=False)
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
    from engine import api

    if proposal is None and not sets:
        raise click.UsageError("give --proposal or --set / cần --proposal hoặc --set")
    result = api.compare_proposal(pack, data, proposal=proposal, sets=sets, as_of=as_of, lang=lang, cases_path=cases_path,
                                  report_path=report_path, export_dir=export_dir, features=not no_features,
                                  rules=rules_dirs)
    if isinstance(result, api.ProposalComparison) and (note := result.export_note()) is not None:
        click.echo(note, err=True, nl=False)
    click.echo(result.render(fmt), nl=False)


@main.command()
@click.option("--pack", "-p", required=True, help="Shapes the data: vn.nghe-an, vn.da-nang, cn.*.")
@click.option("--rows", default=1000, show_default=True)
@click.option("--seed", default=1, show_default=True)
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path))
def generate(pack: str, rows: int, seed: int, output: Path) -> None:
    """Write a synthetic province (the batch input format) calibrated on the seeds' figures."""
    from engine import api

    if output.suffix.lower() not in api.PROVINCE_SUFFIXES:
        raise click.BadParameter("use .parquet, .csv, .xlsx or .jsonl", param_hint="--output")
    written = api.write_province(pack, rows, output, seed)
    click.echo(f"{written:,} rows → {output}")


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

    click.echo(api.render_pack_list(api.list_packs(rules_dirs, lang), fmt), nl=False)


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

    click.echo(api.show_pack(pack, fmt, lang, as_of, rules_dirs, proposal), nl=False)


@main.command()
@click.argument("name", required=False, type=click.Choice(["decision", "batch"]))
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
@click.option("--write", is_flag=True, help="Regenerate the shipped schema files from the models (after a deliberate change).")
def schema(name: str | None, output: Path | None, write: bool) -> None:
    """The JSON Schema of an output: `decision` (evaluate --format json) or `batch` (a batch output row)."""
    from engine import api

    if write:
        for path in api.write_schemas():
            click.echo(f"wrote {path}")
        return
    if name is None:
        raise click.UsageError("name the schema: decision or batch / cần tên: decision hoặc batch")
    _emit(api.schema_text(name), output)


@main.command()
@click.option("--lang", type=LANGS, default="en", show_default=True)
def steps(lang: str) -> None:
    """The phrasebook: every step sentence a feature may use, with parameters and an example."""
    from engine import api

    click.echo(api.render_phrasebook(lang), nl=False)


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
    from engine import api

    run = api.run_features(features, list(rules_dirs), pack, proposal, keyword, coverage)
    click.echo(api.render_run(run, lang), nl=False, err=bool(run.lint))
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
    from engine import api

    extra: list[Path] = []
    if rules_path is not None:
        if rules_path.is_dir():
            extra.append(rules_path)
        else:
            proposal = rules_path
    if proposal is not None and not pack_opt:
        raise click.UsageError("a proposal needs --pack / một đề xuất cần --pack")
    names, findings = api.lint_packs(packs, proposal_pack=pack_opt, rules=extra, proposal=proposal, as_of=as_of)
    if coverage:
        run = api.run_features(coverage=True)  # the shipped features, in this process
        findings += api.coverage_findings(names, run.coverage.gaps if run.coverage else ())
    report = api.LintReport(findings)
    click.echo(report.render(fmt, lang), nl=False)
    if report.failed:
        raise SystemExit(1)


def run(argv: list[str] | None = None) -> int:
    """Entry point that turns user errors into messages and exit code 2."""
    from engine.api import Terminated, sigterm_raises
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
        if lang in i18n.LANGS:
            click.echo(f"{i18n.t('error.label', lang)}: {exc.message(lang)}", err=True)
        else:  # no language chosen: say it in English and Vietnamese
            click.echo("\n".join(f"{i18n.t('error.label', la)}: {exc.message(la)}" for la in ("en", "vi")), err=True)
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
