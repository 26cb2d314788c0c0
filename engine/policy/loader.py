"""Reading rule packs from folders and resolving ``extends`` overlays into one ``Policy``.

This is where a drafter's mistakes are caught: YAML syntax, unknown keys, wrong types, an
expression that does not parse or type-check, an exception waiving a rule that does not exist,
a source that is not declared. Each error names the pack, file, line and rule id.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.errors import Problems, RuleFileError, Where
from engine.i18n import Msg, texts
from engine.limits import MAX_QUOTED_VALUE, quote
from engine.policy.build import Layer, RuleDecl, build_policy
from engine.policy.model import COUNTRY_CURRENCY, DEFAULT_FUND_BASE, SECTIONS, Country, PackFile, PackHeader, Text
from engine.policy.resolved import Origin, Policy
from engine.shipped import data_dir
from engine.contract.yamlsafe import LineDict, load_rule_file

DEFAULT_RULES_DIR = data_dir("rules")


def rules_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    """Where packs are looked up: given folders first, then $KIEMNHIEM_RULES, then ``rules/``."""
    dirs = [Path(p) for p in extra]
    env = os.environ.get("KIEMNHIEM_RULES")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs.append(DEFAULT_RULES_DIR)
    return dirs


def find_packs(dirs: Iterable[Path] | None = None) -> dict[str, Path]:
    """Pack id → folder, the first folder found winning.

    A folder someone gave (``--rules``, ``$KIEMNHIEM_RULES``) that cannot be used is an error,
    never skipped: one that does not exist, holds no pack, or has a ``pack.yaml`` that does not
    load or names its pack wrongly. Otherwise a shipped pack would silently answer in its place.
    """
    found: dict[str, Path] = {}
    for base in dirs if dirs is not None else rules_dirs():
        if not base.is_dir():
            raise RuleFileError.of("rules.folder-missing" if not base.exists() else "rules.not-a-folder",
                                   Where(file=str(base)))
        headers = sorted(p for p in base.glob("*/pack.yaml") if not p.parent.name.startswith("."))
        if not headers:
            raise RuleFileError.of("rules.no-pack", Where(file=str(base)),
                                   hint=Msg.of("rules.no-pack-is-a-pack") if (base / "pack.yaml").exists() else "")
        here: dict[str, Path] = {}
        for header_path in headers:
            header = _header(header_path)
            if header.id in here:
                raise RuleFileError.of("pack.defined-twice", Where(file=str(header_path), line=1),
                                       id=quote(header.id), other=str(here[header.id]))
            here[header.id] = header_path.parent
        for pack_id, folder in here.items():
            found.setdefault(pack_id, folder)
    return found


def _line_of(raw: Any, loc: tuple[Any, ...]) -> tuple[int | None, str | None]:
    """Deepest known line along a pydantic error location, and the rule id on the way."""
    line, rule_id, node = getattr(raw, "line", None), None, raw
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
        if isinstance(node, LineDict):
            line = node.line
            if isinstance(node.get("id"), str):
                rule_id = node["id"]
    return line, rule_id


def _validation_errors(exc: ValidationError, raw: Any, where: Where) -> list[RuleFileError]:
    """Every problem pydantic found in one file, each at its line and rule."""
    out = []
    for err in exc.errors(include_url=False, include_context=False):
        loc = tuple(err["loc"])
        line, rule_id = _line_of(raw, loc)
        path = ".".join(quote(p) if isinstance(p, str) and len(p) > MAX_QUOTED_VALUE else str(p) for p in loc)
        msg = err["msg"]
        if len(msg) > 4 * MAX_QUOTED_VALUE:
            msg = msg[: 4 * MAX_QUOTED_VALUE] + "…"
        given = err.get("input")
        shown = Msg.of("pack.invalid-given", value=quote(given)) \
            if err["type"] != "missing" and not isinstance(given, (dict, list)) else ""
        out.append(RuleFileError.of(
            "pack.invalid", Where(pack=where.pack, file=where.file, line=line, rule=rule_id or where.rule),
            path=path, msg=msg, given=shown))
    return out


def _header(path: Path) -> PackHeader:
    raw = load_rule_file(path)
    try:
        return PackHeader.model_validate(raw)
    except ValidationError as exc:
        problems = Problems()
        for error in _validation_errors(exc, raw, Where(file=str(path))):
            problems.add(error)
        raise problems.error() from None


def load_header(folder: Path) -> tuple[PackHeader, Path]:
    path = folder / "pack.yaml"
    if not path.is_file():
        raise RuleFileError.of("pack.no-header", Where(file=str(folder)))
    return _header(path), path


def settle_header(header: PackHeader, path: Path | None, parent: PackHeader | None) -> PackHeader:
    """The header with its country and fund base filled in, the one place either is derived.

    Declared in ``pack.yaml``, else inherited from the pack it extends (``parent``, already
    settled), else, for a pack without a base that does not declare them (an older pack), the
    country of its currency and ``base_salary``. A country that contradicts the currency or the
    base pack's country is an error at its line in ``pack.yaml``.
    """

    def where(key: str) -> Where:
        line = None
        if path is not None and path.is_file():
            raw = load_rule_file(path)
            line = raw.key_lines.get(key, raw.key_lines.get("currency")) if isinstance(raw, LineDict) else None
        return Where(pack=header.id, file=str(path) if path is not None else None, line=line)

    country: Country | None = header.country
    if parent is not None:
        assert parent.country is not None and parent.fund_base is not None  # settled before its overlays
        if country is not None and country != parent.country:
            raise RuleFileError.of("pack.country-mismatch", where("country"), country=country, parent=quote(parent.id),
                                   parent_country=parent.country)
        country = parent.country
    elif country is None:
        country = next(c for c, cur in COUNTRY_CURRENCY.items() if cur == header.currency)
    assert country is not None
    if COUNTRY_CURRENCY[country] != header.currency:
        declared = Msg.of("pack.country-declared") if header.country is not None \
            else Msg.of("pack.country-inherited", parent=quote(parent.id) if parent else "?")
        raise RuleFileError.of("pack.currency-mismatch", where("country" if header.country is not None else "currency"),
                               currency=header.currency, country=country, declared=declared,
                               expected=COUNTRY_CURRENCY[country])
    fund_base = header.fund_base or (parent.fund_base if parent is not None else DEFAULT_FUND_BASE)
    return header.model_copy(update={"country": country, "fund_base": fund_base})


def load_files(folder: Path, pack_id: str, files: Iterable[Path] | None, found: Problems) -> list[tuple[Path, PackFile, Any]]:
    """The pack's rule files (``files``, else every ``*.yaml`` of ``folder``), read and
    validated. Every file is read even when one fails: the problems of all of them go to
    ``found``, which the caller raises once the whole chain is read."""
    out = []
    # hidden files (an editor's lock or backup, ".#criteria.yaml") are not the drafter's rules
    paths = sorted(p for p in folder.glob("*.yaml") if p.name != "pack.yaml" and not p.name.startswith(".")) \
        if files is None else list(files)
    for path in paths:
        raw = None
        with found.catch():
            raw = load_rule_file(path, pack_id)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            found.add(RuleFileError.of("pack.file-not-mapping", Where(pack=pack_id, file=str(path))))
            continue
        try:
            out.append((path, PackFile.model_validate(raw), raw))
        except ValidationError as exc:
            for error in _validation_errors(exc, raw, Where(pack=pack_id, file=str(path))):
                found.add(error)
    return out


def _origin_of(raw: Any, section: str, index: int, path: Path, pack_id: str) -> Origin:
    node = raw.get(section, [])[index] if isinstance(raw, dict) else None
    return Origin(pack=pack_id, file=str(path), line=getattr(node, "line", None),
                  key_lines=dict(getattr(node, "key_lines", {}) or {}))


def make_layer(header: PackHeader, files: list[tuple[Path, PackFile, Any]], problems: Problems) -> Layer:
    """One pack's own contribution, with origins, before merging into its parent."""
    params: dict[str, tuple[Any, Origin]] = {}
    rules: dict[str, list[RuleDecl]] = {s: [] for s in SECTIONS}
    remove: list[tuple[str, Origin]] = []
    allowance = []
    for path, pf, raw in files:
        for name, param in pf.parameters.items():
            params_raw = raw.get("parameters", {})
            node = params_raw.get(name) if isinstance(params_raw, dict) else None
            line = getattr(node, "line", None) or (params_raw.key_lines.get(name) if isinstance(params_raw, LineDict) else None)
            if name in params:
                problems.add(RuleFileError.of("pack.duplicate-parameter",
                                              Where(pack=header.id, file=str(path), line=line, rule=name),
                                              name=quote(name)))
                continue
            params[name] = (param, Origin(pack=header.id, file=str(path), line=line))
        for section in SECTIONS:
            for i, item in enumerate(getattr(pf, section)):
                rules[section].append(RuleDecl(section, item, _origin_of(raw, section, i, path, header.id)))
        remove += [(r, Origin(pack=header.id, file=str(path), line=None)) for r in pf.remove]
        if pf.allowance is not None:
            allowance.append(pf.allowance)
    return Layer(header, params, {s: tuple(d) for s, d in rules.items()}, tuple(remove), tuple(allowance))


def resolve(
    pack_id: str,
    dirs: Iterable[Path] | None = None,
    proposal: Path | None = None,
) -> Policy:
    """Load ``pack_id`` with every pack it extends, plus an optional proposal overlay."""
    layers = pack_layers(pack_id, dirs)
    if proposal is not None:
        layers.append(proposal_layer(proposal, layers[-1].header))
    return build_policy(layers)


def header_chain(pack_id: str, dirs: Iterable[Path] | None = None) -> list[tuple[Path, PackHeader]]:
    """The folders and settled headers of ``pack_id`` and every pack it extends, parent first
    (only the ``pack.yaml`` files are read)."""
    packs = find_packs(list(dirs) if dirs is not None else None)
    if pack_id not in packs:
        raise RuleFileError.of("pack.unknown", None, id=quote(pack_id),
                               known=", ".join(sorted(packs)) or Msg.of("pack.none"))
    chain: list[tuple[Path, PackHeader]] = []
    current: str | None = pack_id
    while current is not None:
        if current not in packs:
            raise RuleFileError.of("pack.extends-missing", Where(pack=chain[-1][1].id), pack=quote(chain[-1][1].id),
                                   parent=quote(current))
        if any(h.id == current for _, h in chain):
            raise RuleFileError.of("pack.extends-cycle", Where(pack=current), pack=quote(current))
        header, _ = load_header(packs[current])
        chain.append((packs[current], header))
        current = header.extends
    chain.reverse()
    settled: list[tuple[Path, PackHeader]] = []
    for folder, h in chain:
        settled.append((folder, settle_header(h, folder / "pack.yaml", settled[-1][1] if settled else None)))
    return settled


def pack_layers(pack_id: str, dirs: Iterable[Path] | None = None) -> list[Layer]:
    """The overlays that make up ``pack_id``, parent first (before merging). The files of every
    pack in the chain are read, and all their problems are reported together."""
    problems = Problems(pack_id)
    layers = [make_layer(h, load_files(folder, h.id, None, problems), problems)
              for folder, h in header_chain(pack_id, dirs)]
    problems.raise_if_any()
    return layers


def proposal_layer(path: Path, base: PackHeader) -> Layer:
    """A proposal over the pack whose (settled) header is ``base``: a folder (with or without
    pack.yaml) or a single overlay file."""
    base_id = base.id
    if path.is_dir():
        if (path / "pack.yaml").is_file():
            header, header_path = load_header(path)
            header = settle_header(header, header_path, base)
        else:
            header = PackHeader(id=f"{base_id}.proposal", version="proposal", title=_title("proposal.title"),
                                jurisdiction="-", currency=base.currency, country=base.country,
                                fund_base=base.fund_base, lang=base.lang)
        folder, files = path, None
    elif path.is_file():
        header = PackHeader(id=f"{base_id}.proposal", version="proposal",
                            title=_title("proposal.title-file", name=path.stem),
                            jurisdiction="-", currency=base.currency, country=base.country, fund_base=base.fund_base,
                            lang=base.lang)
        folder, files = path.parent, [path]
    elif os.path.lexists(path):
        raise RuleFileError.of("proposal.not-a-file", Where(file=str(path)))
    else:
        raise RuleFileError.of("proposal.missing", Where(file=str(path)))
    problems = Problems(header.id)
    layer = make_layer(header, load_files(folder, header.id, files, problems), problems)
    problems.raise_if_any()
    return layer


def _title(code: str, **params: Any) -> Text:
    """The title of a proposal that has no ``pack.yaml`` of its own, from the catalogues."""
    return Text(**{lang: text for lang, text in texts(code, **params).items() if lang in Text.model_fields})


def load_policy(pack: str, rules: list[Path] | None = None, proposal: Path | None = None) -> Policy:
    """A pack resolved from the given rules folders (else the shipped ones), with an optional proposal."""
    return resolve(pack, rules_dirs(rules or []), proposal)
