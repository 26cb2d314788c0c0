"""The list template (``kiemnhiem template --pack vn.nghe-an --lang vi -o mau-danh-sach.xlsx``).

A board that starts from the tool's own blank list gets the headings the reader knows, the
values it reads, and cells that already hold dates as dates and shares as percentages:

- **Danh sách** (the list): a title row and a line saying how to fill it in, then the header
  (the contract's headings in the user's language, ``engine.io.headings``) for the columns
  the pack's rules read on the date, the places that name a hamlet, the person's name, and
  ``STT`` / ``Ghi chú`` as boards write them; one example row filled in (marked as such in a
  note on its cells); then empty rows whose cells carry the formats (dates ``dd/mm/yyyy``,
  shares ``0%``, whole numbers) and drop-down lists (data validation) for coded values and
  yes/no, in the user's words.
- **Hướng dẫn** (the guide): each column's heading, what it means (the field's name,
  ``field.*``), the values allowed, whether it must be filled in.
- a hidden sheet of the drop-down lists (a list longer than 255 characters cannot be written in
  the validation itself).

The words written for codes come from one function (``word``), so that the reader's own
vocabulary replaces the catalogue's value labels where it has them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.contract import words as vocabulary
from engine.io import headings
from engine.contract.fields import FieldType, catalogue as fields
from engine.i18n import catalogue, field_label, post_label, t
from engine.io.workbook import header_height, new_workbook

if TYPE_CHECKING:
    from engine.policy.resolved import Policy

#: the columns boards keep that no rule reads, first and last (passed through when read)
OWN_FIRST, OWN_LAST = "template.column.number", "template.column.note"
#: the place of a hamlet, always asked for (a hamlet is named by them), largest first
PLACES = ("hamlet_province", "hamlet_district", "hamlet_commune", "hamlet_name", "hamlet_id")
#: who the row is about, always asked for
PERSON = ("name",)
#: the rows of the template: title, how to fill it in, (blank), header, example, then empty rows
TITLE_ROW, HOW_ROW, HEADER_ROW = 0, 1, 3
EXAMPLE_ROW = HEADER_ROW + 1
EMPTY_ROWS = 300  # rows below the example prepared with formats and drop-down lists
REQUIRED = ("hamlet_id",)  # a row without it is refused (engine.io.tables)


@dataclass(frozen=True)
class Column:
    """One column of the template: the input column, its field (None for a board's own column),
    heading and field type."""

    name: str
    path: str | None
    heading: str
    ft: FieldType | None


def word(path: str, code: str, lang: str, country: str) -> str:
    """The word written for ``code`` of the field ``path`` in ``lang`` (``Nam`` for
    ``candidate.sex = male``): the reader's vocabulary (``engine.contract.words.word``), the words
    a board's list is read with; for a code it has no word for, the catalogue's value label
    (``value.*``, ``post.<country>.*``) with a capital."""
    written = vocabulary.word(path, code, lang)
    if written != code:
        return written
    if path == "posts":
        text = post_label(code, country, lang)
    elif f"value.{code}" in catalogue(lang):
        text = t(f"value.{code}", lang)
    else:
        text = code
    return text[:1].upper() + text[1:]


def yes_no(lang: str) -> tuple[str, str]:
    """The words for yes and no in ``lang`` (``Có``, ``Không``), as the reader reads them."""
    yes, no = (t(c, lang)[:1].upper() + t(c, lang)[1:] for c in ("phrase.yes", "phrase.no"))
    return yes, no


def none_word(lang: str) -> str:
    """The word for an empty list (``Không``: no post, no special area), as the reader reads it."""
    text = t("value.none", lang)
    return text[:1].upper() + text[1:]


def _paths() -> dict[str, str]:
    """Input column → field path (``vote_share`` → ``candidate.vote_share``)."""
    from engine.io.tables import user_columns

    return {user: name.replace("__", ".") for name, user in user_columns().items()}


def _read_fields(policy: Policy, as_of: date) -> set[str]:
    """The case fields the pack's rules in force on ``as_of`` read (a derived field by the fields
    it is derived from: the age by the birth date), and the posts."""
    from engine.contract.fields import DERIVED_FROM
    from engine.lang import ast

    read: set[str] = {"posts"}
    for ri in policy.items:
        if not ri.item.effective.covers(as_of):
            continue
        for node in ri.nodes.values():
            for path in ast.refs(node):
                read |= set(DERIVED_FROM.get(path, (path,)))
    return read


def columns(policy: Policy, as_of: date, lang: str) -> list[Column]:
    """The template's columns: STT, the person's name, the candidate's fields the pack reads,
    the hamlet's place and fields, Ghi chú; in the order of the contract's table of headings.
    A place the country no longer has on the date (Vietnam's districts from 2025-07-01) is left out."""
    table = headings.shipped()
    paths = _paths()
    read = _read_fields(policy, as_of)
    levels = policy.params["area_levels"].value_on(as_of) if "area_levels" in policy.params else None
    places = [c for c in PLACES if levels is None or c.removeprefix("hamlet_") not in ("province", "district", "commune")
              or c.removeprefix("hamlet_") in levels]
    order = list(table.written)  # the table's order: hamlet columns, then the candidate's
    person = [c for c in order if c in paths and paths[c].startswith("candidate.") and (c in PERSON or paths[c] in read)]
    person += [c for c in order if c == "posts"]
    hamlet = places + [c for c in order if c in paths and paths[c].startswith("hamlet.") and c not in places
                       and paths[c] in read]
    catalogue_ = fields()
    out = [Column("", None, t(OWN_FIRST, lang), None)]
    out += [Column(c, paths[c], table.heading(c, lang), catalogue_.get(paths[c])) for c in [*person, *hamlet]]
    out.append(Column("", None, t(OWN_LAST, lang), None))
    return out


def _example(policy: Policy) -> dict[str, Any]:
    from engine.shipped import load_data

    data = load_data(Path(__file__).resolve().parent / "template.yaml")
    country = data[policy.country.lower()]
    places = country["places"]
    place = next((places[k] for k in (policy.id, policy.header.extends, policy.country.lower()) if k in places),
                 next(iter(places.values())))
    return {**country["row"], **place}


def _cell(value: Any, col: Column, lang: str, country: str) -> Any:
    """The example's value as the template writes it: a code as its word, a list as words joined
    by ``; ``, an empty list as the word for none, yes/no as words, a date a date."""
    assert col.path is not None
    if isinstance(value, bool):
        return yes_no(lang)[0 if value else 1]
    if isinstance(value, list):
        if not value:
            return none_word(lang)
        return "; ".join(word(col.path, v, lang, country) for v in value)
    if isinstance(value, str) and col.ft is not None and col.ft.values:
        return word(col.path, value, lang, country)
    if isinstance(value, str) and col.ft is not None and col.ft.kind == "date":
        return date.fromisoformat(value)
    return value


def _allowed(col: Column, lang: str, country: str) -> list[str]:
    """The words of a drop-down list: a code field's values, yes/no; for a list field its single
    values and the usual pair of posts (a cell may hold several, separated by ``;``)."""
    ft = col.ft
    if ft is None or col.path is None:
        return []
    if ft.kind == "bool":
        return list(yes_no(lang))
    if not ft.values:
        return []
    words = [word(col.path, v, lang, country) for v in ft.values]
    if col.path == "posts":
        words.insert(0, "; ".join(word("posts", p, lang, country) for p in ("party_cell_secretary", "hamlet_head")))
    elif ft.kind == "list":
        words.append(none_word(lang))
    return words


def _kind(col: Column) -> str:
    ft = col.ft
    if ft is None:
        return "text"
    if ft.kind == "number":
        return "share" if ft.share else "whole"
    return ft.kind  # bool, str, date, list


def template_bytes(policy: Policy, lang: str, as_of: date) -> bytes:
    """The template workbook for ``policy`` in ``lang`` (its rules in force on ``as_of``), with a
    fixed creation date: the same pack, language and date give the same bytes."""
    buffer = io.BytesIO()
    date_format = t("workbook.date-format", lang)
    book = new_workbook(buffer, as_of, date_format)
    country = policy.country
    cols = columns(policy, as_of, lang)
    base = {"valign": "top"}
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9E1F2", "border": 1,
                              "border_color": "#8EA9DB"})
    title = book.add_format({"bold": True, "font_size": 14})
    how = book.add_format({"italic": True, "font_color": "#404040"})
    formats = {"date": book.add_format({"num_format": date_format, "align": "left", **base}),
               "share": book.add_format({"num_format": "0%", **base}),
               "whole": book.add_format({"num_format": "0", **base}),
               "text": book.add_format({"num_format": "@", **base})}
    example = {k: book.add_format({**v, "italic": True, "bg_color": "#FFF2CC"}) for k, v in (
        ("date", {"num_format": date_format, "align": "left"}), ("share", {"num_format": "0%"}),
        ("whole", {"num_format": "0"}), ("text", {"num_format": "@"}))}

    sheet = book.add_worksheet(t("template.sheet.list", lang))
    lists = book.add_worksheet(t("template.sheet.lists", lang))
    guide = book.add_worksheet(t("template.sheet.guide", lang))
    lists.hide()
    # the title and the line under it run on to the right over the empty cells, as a board's title does
    sheet.write_string(TITLE_ROW, 0, t("template.title", lang), title)
    sheet.write_string(HOW_ROW, 0, t("template.how", lang, pack=policy.id, sheet=t("template.sheet.guide", lang)), how)
    sheet.set_row(TITLE_ROW, 20)
    values = _example(policy)
    shown = {col.name: _cell(values[col.name], col, lang, country) for col in cols
             if col.path is not None and values.get(col.name) is not None}
    widths = [_width(col, shown.get(col.name), j) for j, col in enumerate(cols)]
    end = EXAMPLE_ROW + EMPTY_ROWS
    list_col = 0
    for j, col in enumerate(cols):
        kind = _kind(col)
        fmt = formats.get(kind, formats["text"])
        sheet.set_column(j, j, widths[j], fmt)  # the empty rows' cells take the column's format
        sheet.write_string(HEADER_ROW, j, col.heading, header)
        # the example row
        if col.path is None:
            cell: Any = 1 if j == 0 else t("template.example-note", lang)
        else:
            cell = shown.get(col.name)
        style = example.get(kind, example["text"])
        if isinstance(cell, date):
            sheet.write_datetime(EXAMPLE_ROW, j, cell, style)
        elif isinstance(cell, (int, float)):
            sheet.write_number(EXAMPLE_ROW, j, cell, style)
        elif cell is not None:
            sheet.write_string(EXAMPLE_ROW, j, str(cell), style)
        else:
            sheet.write_blank(EXAMPLE_ROW, j, None, style)
        # drop-down lists and checks on the example and the empty rows
        allowed = _allowed(col, lang, country)
        if allowed:
            lists.write_string(0, list_col, col.heading)
            for i, w in enumerate(allowed, 1):
                lists.write_string(i, list_col, w)
            letter = _letter(list_col)
            source = f"='{t('template.sheet.lists', lang)}'!${letter}$2:${letter}${len(allowed) + 1}"
            strict = kind in ("bool", "str")  # a list cell may hold several values: a warning, not a refusal
            sheet.data_validation(EXAMPLE_ROW, j, end, j, {
                "validate": "list", "source": source, "error_type": "stop" if strict else "warning",
                "error_title": col.heading[:32], "error_message": t("template.check.list", lang)[:255]})
            list_col += 1
        elif kind == "date":
            sheet.data_validation(EXAMPLE_ROW, j, end, j, {
                "validate": "date", "criteria": "between", "minimum": date(1900, 1, 1), "maximum": date(2100, 12, 31),
                "error_type": "warning", "error_title": col.heading[:32], "error_message": t("template.check.date", lang)})
        elif kind == "share":
            sheet.data_validation(EXAMPLE_ROW, j, end, j, {
                "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1, "error_type": "warning",
                "error_title": col.heading[:32], "error_message": t("template.check.share", lang)})
        elif kind == "whole":
            sheet.data_validation(EXAMPLE_ROW, j, end, j, {
                "validate": "integer", "criteria": ">=", "value": 0, "error_type": "warning",
                "error_title": col.heading[:32], "error_message": t("template.check.whole", lang)})
    sheet.write_comment(EXAMPLE_ROW, 0, t("template.example-comment", lang), {"x_scale": 2, "y_scale": 1.2})
    sheet.set_row(HEADER_ROW, header_height([(c.heading, w) for c, w in zip(cols, widths)]))
    sheet.freeze_panes(EXAMPLE_ROW, 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(HEADER_ROW)
    _guide(guide, cols, lang, country, header, book.add_format({"text_wrap": True, "valign": "top"}))
    sheet.activate()
    book.close()
    return buffer.getvalue()


def _width(col: Column, example: Any, j: int) -> float:
    """Wide enough for the heading over at most two lines and for the example's value."""
    if col.path is None:
        return 6.0 if j == 0 else 24.0
    head = max([len(w) for w in col.heading.split()] + [(len(col.heading) + 1) // 2])
    value = 11 if isinstance(example, date) else len(str(example)) if example is not None else 0
    return float(min(max(head, value, 8) + 2, 30))


def _letter(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(j))


def _meaning(col: Column, lang: str) -> str:
    text = t("template.own-column", lang) if col.path is None else field_label(col.path, lang)
    return text[:1].upper() + text[1:]


def _values(col: Column, lang: str, country: str) -> str:
    """What the column takes, in words: the values of a code, yes/no, a date, a share, a number."""
    kind = _kind(col)
    sep = "\n"  # one value a line: values hold commas and slashes themselves ("Thôn, xóm, bản")
    if kind in ("bool", "str") and col.ft is not None and (col.ft.values or kind == "bool"):
        return sep.join(_allowed(col, lang, country))
    if kind == "list":
        return t("template.values.list", lang, values=sep.join(_allowed(col, lang, country)[1 if col.path == "posts" else 0:]))
    if kind in ("date", "share", "whole"):
        return t(f"cell.kind.{kind}", lang)
    return t("template.values.text", lang)


def _guide(sheet: Any, cols: Sequence[Column], lang: str, country: str, header: Any, wrap: Any) -> None:
    """The guide: each column's heading, meaning, the values it takes, whether it is required."""
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 3, 14)
    heads = [t(f"template.guide.{k}", lang) for k in ("heading", "meaning", "values", "required")]
    for j, text in enumerate(heads):
        sheet.write_string(0, j, text, header)
    sheet.freeze_panes(1, 0)
    for i, col in enumerate(cols, 1):
        values = _values(col, lang, country)
        lines = max(1, values.count("\n") + 1 + len(values) // 80, -(-len(_meaning(col, lang)) // 55))
        sheet.set_row(i, 15.0 * lines, wrap)
        sheet.write_string(i, 0, col.heading)
        sheet.write_string(i, 1, _meaning(col, lang))
        sheet.write_string(i, 2, values)
        sheet.write_string(i, 3, yes_no(lang)[0 if col.name in REQUIRED else 1])


def write_template(pack: str, output: Path, lang: str | None = None, as_of: date | None = None,
                   rules: Sequence[Path] = ()) -> Path:
    """``kiemnhiem template``: the list template of ``pack`` written to ``output`` (an .xlsx),
    in ``lang`` (the pack's own language by default), for its rules in force on ``as_of``
    (today by default). Written to a temporary file and renamed when complete."""
    from engine.errors import InputError, Where
    from engine.io.atomic import AtomicFile
    from engine.policy.loader import load_policy

    if output.suffix.lower() != ".xlsx":
        raise InputError.of("template.xlsx-only", Where(file=str(output)))
    policy = load_policy(pack, list(rules))
    day = as_of or date.today()
    data = template_bytes(policy, lang or policy.header.lang, day)
    with AtomicFile(output) as out, out.errors():
        out.write(data)
    return output
