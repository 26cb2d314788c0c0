"""The ``kiemnhiem`` command line (also ``python cli.py …``).

Argument parsing and printing only: every command calls ``engine.api`` (imported lazily, so that
``--help`` and cold starts stay fast), which does the work and the reports' formatting. Every
error a user can cause is reported as one message, in the chosen language, with exit code 2; an
internal error says so with exit code 3, never with a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from engine import i18n

# kiemnhiem uses no pydantic plugins; skipping their entry-point scan saves ~60 ms of every start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

LANGS = click.Choice(list(i18n.LANGS))


class _Command(click.Command):
    """A command whose help texts live in the catalogues: ``cli.help.<command>`` for itself and
    ``cli.help.<command>.<option>`` for each option (the option's long name). They are read only
    when help is shown (an ordinary run should not pay for reading a catalogue), in the language
    of ``_help_lang``: click renders help before it has parsed ``--lang``."""

    help_code: str = ""

    def _fill_help(self, lang: str) -> None:
        if not self.help_code:
            return
        texts = i18n.catalogue(lang)
        english = i18n.catalogue("en")  # a text not yet translated is shown in English
        self.help = texts.get(self.help_code) or english.get(self.help_code, self.help)
        for param in self.params:
            if isinstance(param, click.Option):
                code = f"{self.help_code}.{max(param.opts, key=len).lstrip('-')}"
                if param.name == "version":
                    code = "wording.click.version"
                param.help = texts.get(code) or english.get(code, param.help)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = _help_lang(ctx)
        self._fill_help(lang)
        if (option := self.get_help_option(ctx)) is not None:
            option.help = i18n.t("wording.click.help", lang)
        with _click_words(lang):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        self._fill_help(_help_lang())
        return super().get_short_help_str(limit)


#: the words click writes around the help texts (``Usage:``, ``Options``, ``[required]``) → their
#: codes (``wording.click.<code>``); click reads them through gettext, whose ``_`` is swapped while
#: help is written in another language than English
_CLICK_WORDS = {"Usage:": "usage", "Options": "options", "Commands": "commands", "Positional arguments": "arguments",
                "required": "required", "default: {default}": "default"}


@contextlib.contextmanager
def _click_words(lang: str) -> Iterator[None]:
    """Click's own words in ``lang`` while help is written (English as click has them)."""
    if lang == "en":
        yield
        return
    import click.core
    import click.formatting

    texts = i18n.catalogue(lang)

    def words(message: str) -> str:
        code = _CLICK_WORDS.get(message)
        return texts.get(f"wording.click.{code}", message) if code else message

    saved = click.core._, click.formatting._
    click.core._ = click.formatting._ = words
    try:
        yield
    finally:
        click.core._, click.formatting._ = saved


def _help_lang(ctx: click.Context | None = None) -> str:
    """The language of ``--help``: ``--lang`` on the command line, else ``KIEMNHIEM_LANG``, else
    the locale as POSIX reads it (the first set of ``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
    ``vi_VN.UTF-8`` is Vietnamese, ``zh_CN.UTF-8`` Chinese), else English."""
    asked = _lang(ctx)
    if asked is not None:
        return asked
    chosen = os.environ.get("KIEMNHIEM_LANG", "").strip().lower()
    if chosen in i18n.LANGS:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return code if code in i18n.LANGS else "en"
    return "en"


class _Group(_Command, click.Group):
    """A group of ``_Command``s (and groups), each keyed in the catalogues by its name as typed
    (``cli.help.evaluate``, ``cli.help.rules-list``)."""

    prefix: str = ""  # before the names of this group's commands in their codes

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return self._keyed(super().command(*args, **kwargs), group=False)

    def group(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Group)
        return self._keyed(super().group(*args, **kwargs), group=True)

    def _keyed(self, decorator: Any, group: bool) -> Any:
        def wrap(f: Any) -> Any:
            cmd = decorator(f)
            cmd.help_code = f"cli.help.{self.prefix}{cmd.name}"
            if group:
                cmd.prefix = f"{self.prefix}{cmd.name}-"
            return cmd

        return wrap


def _lang(ctx: click.Context | None = None) -> str | None:
    """The language asked for with ``--lang`` anywhere on the command line (None when none was)."""
    ctx = ctx or click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj if isinstance(obj, str) and obj in i18n.LANGS else None


def _say(code: str, lang: str | None, /, separator: str = " / ", **params: Any) -> str:
    """A message in the language asked for; with none asked for, in English and Vietnamese."""
    if lang is not None:
        return i18n.t(code, lang, **params)
    return separator.join(i18n.t(code, la, **params) for la in ("en", "vi"))


def _options(argv: list[str], name: str) -> list[str]:
    """The values given to ``--name`` on the command line (read before click has parsed it)."""
    out = []
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            out.append(argv[i + 1])
        elif arg.startswith(name + "="):
            out.append(arg.split("=", 1)[1])
    return out


def _unasked_langs(argv: list[str]) -> tuple[str, str]:
    """The languages of an error when none was asked for: English and the pack's own language
    (a Chinese board reads Chinese, not Vietnamese), English and Vietnamese when the pack is not
    known or speaks English."""
    packs = _options(argv, "--pack")
    if packs:
        try:
            from engine.policy.loader import header_chain, rules_dirs

            own = header_chain(packs[-1], rules_dirs([Path(p) for p in _options(argv, "--rules")]))[-1][1].lang
        except Exception:  # noqa: BLE001 - the error being reported is what matters
            own = "vi"
        if own != "en":
            return ("en", own)
    return ("en", "vi")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_say("cli.not-a-date", _lang(ctx), value=repr(value))) from None


def _progress(quiet: bool) -> bool | None:
    """A long run's progress bar: never with ``--quiet``, else when stderr is a terminal (None)."""
    return False if quiet else None


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from engine.api import write_text

    write_text(output, text)  # a temporary created exclusively, renamed when complete


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option("0.1.0", prog_name="kiemnhiem")
def main() -> None:
    pass  # what kiemnhiem is for, as --help says it: cli.help.main


main.help_code = "cli.help.main"


@main.command()
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--pack", "-p", required=True)
@click.option("--as-of", "as_of", callback=_date)
@click.option("--lang", type=LANGS)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--trace", is_flag=True)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--proposal", type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["durable", "reference"]), default="durable", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path))
def evaluate(dossier: Path, pack: str, as_of: date | None, lang: str | None, fmt: str, trace: bool,
             rules_dirs: tuple[Path, ...], proposal: Path | None, engine: str, output: Path | None) -> None:
    from engine import api

    api.refuse_overwrite([dossier, proposal], {"--output": output})
    decision = api.evaluate_dossier(dossier, pack, as_of, lang=lang, backend=engine, trace=trace, rules=rules_dirs,
                                    proposal=proposal)
    _emit(api.render_decision(decision, fmt), output)


@main.command()
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--candidates", type=click.Path(path_type=Path))
@click.option("--pack", "-p", required=True)
@click.option("--as-of", "as_of", callback=_date)
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path))
@click.option("--errors", "errors_path", type=click.Path(path_type=Path))
@click.option("--summary", "summary_path", type=click.Path(path_type=Path))
@click.option("--lang", type=LANGS)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--proposal", type=click.Path(path_type=Path))
@click.option("--chunk-rows", default=200_000, show_default=True)
@click.option("--hamlets", "hamlets_path", type=click.Path(path_type=Path))
@click.option("--sheet")
@click.option("--header-row", type=click.IntRange(min=1))
@click.option("--columns", "columns_path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True)
@click.option("--quiet", "-q", is_flag=True)
def batch(table: Path, candidates: Path | None, pack: str, as_of: date | None, output: Path, errors_path: Path | None,
          summary_path: Path | None, lang: str | None, rules_dirs: tuple[Path, ...], proposal: Path | None,
          chunk_rows: int, hamlets_path: Path | None, sheet: str | None, header_row: int | None,
          columns_path: Path | None, dry_run: bool, quiet: bool) -> None:
    from engine import api

    reading = api.reading_from(sheet, header_row, columns_path)
    if dry_run or (sys.stderr.isatty() and not quiet):  # what each heading is read as, before anything is evaluated
        language = lang or api.load_policy(pack).header.lang
        for path in (table, candidates):
            if path is not None:
                click.echo(api.render_mapping(api.probe_columns(path, reading), language), err=not dry_run, nl=False)
        if dry_run:
            return
    result = api.run_batch(table, pack, output, as_of, candidates=candidates, errors_path=errors_path,
                           summary_path=summary_path, lang=lang, rules=rules_dirs, proposal=proposal, chunk_rows=chunk_rows,
                           hamlets_path=hamlets_path, reading=reading, progress=_progress(quiet))
    if (note := result.unused_note()) is not None:
        click.echo(note, err=True, nl=False)
    click.echo(result.summary_text, nl=False)
    if (note := result.errors_note()) is not None:
        click.echo(note, err=True, nl=False)
        raise SystemExit(1)


@main.command()
@click.option("--pack", "-p", required=True)
@click.option("--proposal", type=click.Path(exists=True, path_type=Path))
@click.option("--set", "sets", multiple=True)
@click.option("--data", required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", callback=_date)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--cases", "cases_path", type=click.Path(path_type=Path))
@click.option("--report", "report_path", type=click.Path(path_type=Path))
@click.option("--export-scenarios", "export_dir", type=click.Path(path_type=Path))
@click.option("--no-features", is_flag=True)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("--quiet", "-q", is_flag=True)
def compare(pack: str, proposal: Path | None, sets: tuple[str, ...], data: Path, as_of: date | None, fmt: str,
            cases_path: Path | None, report_path: Path | None, export_dir: Path | None, no_features: bool,
            rules_dirs: tuple[Path, ...], lang: str, quiet: bool) -> None:
    from engine import api

    if proposal is None and not sets:
        raise click.UsageError(_say("cli.compare-needs-proposal", _lang()))
    result = api.compare_proposal(pack, data, proposal=proposal, sets=sets, as_of=as_of, lang=lang, cases_path=cases_path,
                                  report_path=report_path, export_dir=export_dir, features=not no_features,
                                  rules=rules_dirs, progress=_progress(quiet))
    if isinstance(result, api.ProposalComparison) and (note := result.export_note()) is not None:
        click.echo(note, err=True, nl=False)
    click.echo(result.render(fmt), nl=False)


@main.command()
@click.option("--pack", "-p", required=True)
@click.option("--rows", default=1000, show_default=True)
@click.option("--seed", default=1, show_default=True)
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True)
def generate(pack: str, rows: int, seed: int, output: Path, quiet: bool) -> None:
    from engine import api

    if output.suffix.lower() not in api.PROVINCE_SUFFIXES:
        raise click.BadParameter(_say("batch.generate-type", _lang()), param_hint="--output")
    written = api.write_province(pack, rows, output, seed, progress=_progress(quiet), lang=_lang() or "en")
    click.echo(i18n.t("cli.generated", _lang() or "en", rows=i18n.Num(written), output=output))


@main.command()
@click.option("--pack", "-p", required=True)
@click.option("--lang", type=LANGS)
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", callback=_date)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
def template(pack: str, lang: str | None, output: Path, as_of: date | None, rules_dirs: tuple[Path, ...]) -> None:
    from engine import api

    path = api.write_template(pack, output, lang, as_of, rules_dirs)
    click.echo(i18n.t("cli.wrote", _lang() or "en", path=path))


@main.group()
def rules() -> None:
    pass  # --help: cli.help.rules


@rules.command("list")
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
def rules_list(lang: str, fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    from engine import api

    click.echo(api.render_pack_list(api.list_packs(rules_dirs, lang), fmt), nl=False)


@rules.command("show")
@click.argument("pack")
@click.option("--lang", type=LANGS)
@click.option("--as-of", "as_of", callback=_date)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--proposal", type=click.Path(path_type=Path))
def rules_show(pack: str, lang: str | None, as_of: date | None, fmt: str, rules_dirs: tuple[Path, ...],
               proposal: Path | None) -> None:
    from engine import api

    click.echo(api.show_pack(pack, fmt, lang, as_of, rules_dirs, proposal), nl=False)


@main.command()
@click.argument("name", required=False, type=click.Choice(["decision", "batch", "roster", "hamlets"]))
@click.option("--output", "-o", type=click.Path(path_type=Path))
@click.option("--write", is_flag=True)
def schema(name: str | None, output: Path | None, write: bool) -> None:
    from engine import api

    if write:
        for path in api.write_schemas():
            click.echo(i18n.t("cli.wrote", _lang() or "en", path=path))
        return
    if name is None:
        raise click.UsageError(_say("cli.schema-needs-name", _lang()))
    _emit(api.schema_text(name), output)


@main.command()
@click.option("--lang", type=LANGS, default="en", show_default=True)
def steps(lang: str) -> None:
    from engine import api

    click.echo(api.render_phrasebook(lang), nl=False)


@main.command("test")
@click.option("--pack", "-p")
@click.option("--proposal", type=click.Path(exists=True, path_type=Path))
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--features", type=click.Path(exists=True, path_type=Path))
@click.option("--coverage", is_flag=True)
@click.option("-k", "keyword")
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("--quiet", "-q", is_flag=True)
def test_cmd(pack: str | None, proposal: Path | None, rules_dirs: tuple[Path, ...], features: Path | None,
             coverage: bool, keyword: str | None, lang: str, quiet: bool) -> None:
    from engine import api

    run = api.run_features(features, list(rules_dirs), pack, proposal, keyword, coverage, progress=_progress(quiet),
                           lang=lang)
    click.echo(api.render_run(run, lang), nl=False, err=bool(run.lint))
    raise SystemExit(run.exit_code)


@rules.command("lint")
@click.argument("packs", nargs=-1)
@click.option("--pack", "-p", "pack_opt")
@click.option("--rules", "rules_path", type=click.Path(exists=True, path_type=Path))
@click.option("--proposal", type=click.Path(exists=True, path_type=Path))
@click.option("--as-of", "as_of", callback=_date)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=LANGS, default="en", show_default=True)
@click.option("--coverage", is_flag=True)
def rules_lint(packs: tuple[str, ...], pack_opt: str | None, rules_path: Path | None, proposal: Path | None,
               as_of: date | None, fmt: str, lang: str, coverage: bool) -> None:
    from engine import api

    extra: list[Path] = []
    if rules_path is not None:
        if rules_path.is_dir():
            extra.append(rules_path)
        else:
            proposal = rules_path
    if proposal is not None and not pack_opt:
        raise click.UsageError(_say("cli.proposal-needs-pack", _lang()))
    names, findings = api.lint_packs(packs, proposal_pack=pack_opt, rules=extra, proposal=proposal, as_of=as_of)
    if coverage:
        run = api.run_features(coverage=True)  # the shipped features, in this process
        findings += api.coverage_findings(names, run.coverage.gaps if run.coverage else ())
    report = api.LintReport(findings)
    click.echo(report.render(fmt, lang), nl=False)
    if report.failed:
        raise SystemExit(1)


def _error_line(exc: Any, lang: str) -> str:
    """``error: <place>: <message>`` in ``lang`` (the colon as the language writes it)."""
    return f"{i18n.t('error.label', lang)}{i18n.t('where.then', lang)}{exc.message(lang)}"


def run(argv: list[str] | None = None) -> int:
    """Entry point that turns user errors into messages and exit code 2."""
    from engine.api import Terminated, sigterm_raises
    from engine.errors import KiemnhiemError

    args = sys.argv[1:] if argv is None else argv
    lang = next(iter(_options(args, "--lang")), None)  # the first given, as before
    if lang not in i18n.LANGS:
        lang = None
    try:
        with sigterm_raises():  # SIGTERM cleans up (temporaries removed) like Ctrl-C, then exits 143
            main.main(args=argv, prog_name="kiemnhiem", standalone_mode=False, obj=lang)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.Abort:
        click.echo(i18n.t("cli.aborted", lang or "en"), err=True)
        return 1
    except Terminated:
        click.echo(i18n.t("cli.terminated", lang or "en"), err=True)
        return 143
    except click.ClickException as exc:
        exc.show()
        return 2
    except KiemnhiemError as exc:
        if lang is not None:
            click.echo(_error_line(exc, lang), err=True)
        else:  # no language chosen: say it in English and the pack's language
            click.echo("\n".join(_error_line(exc, la) for la in _unasked_langs(args)), err=True)
        return exc.exit_code
    except (BrokenPipeError, KeyboardInterrupt):
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        click.echo(_say("cli.internal-error", lang, kind=type(exc).__name__, detail=first), err=True)
        return 3
    except BaseException as exc:
        # polars' PanicException: a signal's exception (Terminated, KeyboardInterrupt) raised while
        # polars was running Python code of its own (converting values) comes back wrapped in a
        # panic. The outputs were cleaned up on the way out, as for the signal itself: say so,
        # with the signal's exit code, never a traceback.
        if type(exc).__name__ != "PanicException":
            raise
        text = str(exc)
        if "Terminated" in text:
            click.echo(i18n.t("cli.terminated", lang or "en"), err=True)
            return 143
        if "KeyboardInterrupt" in text:
            click.echo(i18n.t("cli.aborted", lang or "en"), err=True)
            return 1
        click.echo(_say("cli.internal-error", lang, kind=type(exc).__name__, detail=text.splitlines()[0][:300]), err=True)
        return 3
    return 0


def entry() -> None:
    raise SystemExit(run())


if __name__ == "__main__":
    entry()
