"""Words and number formats for Vietnamese, English and Chinese; the catalogues' reader (``t``).

Numbers follow each language's convention: 1.755.000 ₫ and 46 % in Vietnamese, 1,755,000 VND
and 46 % in English. Labels are looked up by field path or value, so a rule file never carries
display text for fields, only for its own titles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The languages the engine speaks: each is a folder of catalogues in ``engine/messages``.
LANGS = ("vi", "en", "zh")
_MESSAGES = Path(__file__).resolve().parent / "messages"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Code → text in ``lang``: every ``engine/messages/<lang>/*.yaml`` (read once, when first
    needed: the one-case path reads only the language it answers in). A code in two files of a
    language is refused (``tests/test_catalogues.py`` keeps the shipped ones apart)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, str] = {}
    for path in sorted((_MESSAGES / lang).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for code, text in data.items():
            if code in out:
                raise ValueError(f"{path}: the code {code!r} is also in another catalogue of {lang!r}")
            out[str(code)] = str(text)
    return out


def t(code: str, lang: str, /, **params: Any) -> str:
    """The text of ``code`` in ``lang`` with its ``{placeholders}`` filled in (a text meant to
    show a brace writes it twice, ``{{``, as ``str.format`` reads it). A value that has a
    ``localized(lang)`` method (``Msg``, ``Num``) is rendered in ``lang`` first: one error's
    params then serve every language."""
    return catalogue(lang)[code].format(**{k: _in(v, lang) for k, v in params.items()})


def _in(value: Any, lang: str) -> Any:
    localized = getattr(value, "localized", None)
    return localized(lang) if callable(localized) else value


@dataclass(frozen=True)
class Msg:
    """A catalogue text used as the value of another text's placeholder (what was expected,
    inside an error): rendered in the language of the text around it."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, /, **params: Any) -> Msg:
        return cls(code, params)

    def localized(self, lang: str) -> str:
        return t(self.code, lang, **self.params)


@dataclass(frozen=True)
class Num:
    """A number as a placeholder's value, grouped as the language writes it (1.000 / 1,000)."""

    value: int | Decimal

    def localized(self, lang: str) -> str:
        return fmt_decimal(self.value, lang)


def texts(code: str, /, **params: Any) -> dict[str, str]:
    """The text of ``code`` in every language."""
    return {lang: t(code, lang, **params) for lang in LANGS}

FIELDS: dict[str, tuple[str, str]] = {
    "hamlet.id": ("mã thôn", "hamlet id"),
    "hamlet.name": ("tên thôn", "hamlet name"),
    "hamlet.country": ("quốc gia", "country"),
    "hamlet.province": ("tỉnh", "province"),
    "hamlet.district": ("huyện", "district"),
    "hamlet.commune": ("xã", "commune"),
    "hamlet.kind": ("loại thôn", "kind of hamlet"),
    "hamlet.population": ("dân số của thôn", "the hamlet's population"),
    "hamlet.households": ("số hộ của thôn", "the hamlet's households"),
    "hamlet.area": ("đặc điểm địa bàn", "the area's tags"),
    "hamlet.local_party_members": ("số đảng viên tại chỗ", "local party members"),
    "hamlet.suitable_party_member_available": ("có đảng viên phù hợp để bầu trưởng thôn", "a suitable party member is available"),
    "hamlet.election_turnout": ("tỷ lệ cử tri đi bầu", "the election turnout"),
    "candidate.id": ("mã ứng viên", "candidate id"),
    "candidate.name": ("họ tên", "name"),
    "candidate.birth_date": ("ngày sinh", "birth date"),
    "candidate.age": ("tuổi", "age"),
    "candidate.sex": ("giới tính", "sex"),
    "candidate.party_status": ("tình trạng đảng viên", "party status"),
    "candidate.party_join_date": ("ngày vào Đảng", "party join date"),
    "candidate.permanent_residence": ("thường trú tại thôn", "permanent residence in the hamlet"),
    "candidate.residence_years": ("số năm cư trú", "years of residence"),
    "candidate.status": ("vị trí công tác", "position held"),
    "candidate.vote_share": ("tỷ lệ phiếu bầu", "the vote share"),
    "candidate.confidence_vote": ("tỷ lệ tín nhiệm", "the confidence vote"),
    "candidate.disciplined": ("đã bị kỷ luật", "disciplined"),
    "candidate.health_ok": ("đủ sức khỏe", "in good health"),
    "candidate.deprived_of_political_rights": ("bị tước quyền chính trị", "deprived of political rights"),
    "candidate.endorsed_by_party_committee": ("được cấp ủy thống nhất giới thiệu", "endorsed by the party committee"),
    "candidate.background": ("xuất thân", "background"),
    "posts": ("các chức danh", "the posts"),
    "as_of": ("ngày xét", "as-of date"),
    "len(posts)": ("số chức danh kiêm nhiệm", "the number of posts held"),
}

VALUES: dict[str, tuple[str, str]] = {
    "none": ("không", "none"),
    "probationary": ("đảng viên dự bị", "probationary member"),
    "full": ("đảng viên chính thức", "full member"),
    "commune_cadre": ("cán bộ cấp xã", "commune cadre"),
    "commune_civil_servant": ("công chức cấp xã", "commune civil servant"),
    "commune_nonprofessional": ("người hoạt động không chuyên trách cấp xã", "commune non-professional"),
    "hamlet_nonprofessional": ("người hoạt động không chuyên trách ở thôn", "hamlet non-professional"),
    "village": ("thôn, xóm, bản", "village"),
    "residential_group": ("tổ dân phố, khối", "residential group"),
    "mountainous": ("miền núi", "mountainous"),
    "border": ("biên giới", "border"),
    "island": ("hải đảo", "island"),
    "key_security": ("trọng điểm an ninh", "key security area"),
    "difficult": ("đặc biệt khó khăn", "difficult area"),
    "ethnic_minority": ("dân tộc thiểu số", "ethnic minority"),
    "male": ("nam", "male"),
    "female": ("nữ", "female"),
    "own": ("chức danh chính", "own post"),
    "concurrent": ("kiêm nhiệm", "concurrent"),
}

POSTS: dict[str, dict[str, tuple[str, str]]] = {  # by the pack's country (``Policy.country``)
    "VN": {
        "party_cell_secretary": ("bí thư chi bộ", "party cell secretary"),
        "deputy_party_cell_secretary": ("phó bí thư chi bộ", "deputy party cell secretary"),
        "hamlet_head": ("trưởng thôn / tổ trưởng tổ dân phố", "hamlet head"),
        "front_committee_head": ("trưởng ban công tác Mặt trận", "Front work committee head"),
    },
    "CN": {
        "party_cell_secretary": ("bí thư chi bộ thôn (村党支部书记)", "village party branch secretary (村党支部书记)"),
        "deputy_party_cell_secretary": ("phó bí thư chi bộ thôn", "deputy party branch secretary"),
        "hamlet_head": ("chủ nhiệm ủy ban thôn (村委会主任)", "village committee director (村委会主任)"),
        "front_committee_head": ("trưởng ban công tác Mặt trận", "Front work committee head"),
    },
}

DECISIONS: dict[str, tuple[str, str]] = {
    "eligible": ("ĐỦ ĐIỀU KIỆN", "ELIGIBLE"),
    "eligible_with_conditions": ("ĐỦ ĐIỀU KIỆN, KÈM ĐIỀU KIỆN", "ELIGIBLE WITH CONDITIONS"),
    "ineligible": ("KHÔNG ĐỦ ĐIỀU KIỆN", "INELIGIBLE"),
    "undetermined": ("CHƯA XÁC ĐỊNH ĐƯỢC", "UNDETERMINED"),
    "not_applicable": ("KHÔNG ÁP DỤNG", "NOT APPLICABLE"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "pass": ("đạt", "pass"),
    "fail": ("không đạt", "fail"),
    "unknown": ("chưa rõ", "unknown"),
    "waived": ("được miễn trừ", "waived"),
    "not_applicable": ("không áp dụng", "not applicable"),
}

OPS: dict[str, tuple[str, str]] = {
    ">=": ("từ {v} trở lên", "at least {v}"),
    ">": ("trên {v}", "above {v}"),
    "<=": ("không quá {v}", "at most {v}"),
    "<": ("dưới {v}", "below {v}"),
    "==": ("là {v}", "{v}"),
    "!=": ("khác {v}", "other than {v}"),
}

PHRASES: dict[str, tuple[str, str]] = {
    "decision": ("Kết luận", "Decision"),
    "criteria": ("Tiêu chí", "Criteria"),
    "conditions": ("Điều kiện kèm theo", "Conditions"),
    "missing": ("Còn thiếu", "Missing"),
    "fund": ("Quỹ phụ cấp của thôn", "Hamlet allowance fund"),
    "allowance": ("Phụ cấp hằng tháng của ứng viên", "Candidate's monthly allowance"),
    "counterfactuals": ("Cần thay đổi gì", "What would have to change"),
    "source": ("Nguồn", "Source"),
    "pack": ("Gói quy tắc", "Rule pack"),
    "as_of": ("Ngày xét", "As of"),
    "total": ("Tổng", "Total"),
    "payable_total": ("Tổng phải trả", "Total payable"),
    "if_appointed": ("nếu được bổ nhiệm", "if appointed"),
    "if_appointed_lines": ("Mức của từng chức danh nếu được bổ nhiệm", "What each post would pay if appointed"),
    "nothing_payable_ineligible": ("không đủ điều kiện nên không được chi trả", "ineligible, so nothing is paid"),
    "payable_open": ("chưa xác định vì kết luận chưa xác định", "undetermined while the decision is undetermined"),
    "same_rate_any_status": ("cùng tỷ lệ với mọi vị trí công tác", "the same rate whatever the person's status"),
    "per_year": ("mỗi năm", "per year"),
    "per_month": ("mỗi tháng", "per month"),
    "undetermined_amount": ("chưa xác định", "undetermined"),
    "rate": ("tỷ lệ", "rate"),
    "of": ("của", "of"),
    "case": ("Hồ sơ", "Case"),
    "trace": ("Diễn tiến suy luận", "Derivation"),
    "confidence": ("độ tin cậy", "confidence"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "it_is": ("hiện là", "it is"),
    "would_pass_if": ("sẽ đạt nếu", "would pass if"),
    "provide": ("cần bổ sung", "provide"),
    "or_exception": ("hoặc được miễn trừ theo", "or be waived by"),
    "include": ("có", "include"),
    "not_include": ("không có", "not include"),
    "one_of": ("là một trong", "one of"),
    "unset_param": ("tham số chưa được quy định", "parameter not set"),
    "no_candidate": ("Không có ứng viên: chỉ tính quỹ phụ cấp của thôn.", "No candidate: only the hamlet's fund is computed."),
    "no_rate": ("gói không có quy định tỷ lệ cho chức danh này", "the pack has no rate for this post"),
    "post_amount": ("phụ cấp của chức danh", "the post's allowance"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    """(vi, en) → the text in ``lang`` (the English one for a language the pair does not have).
    The way out as texts move into the catalogues (``t``)."""
    return pair[0] if lang == "vi" else pair[1]


def phrase(key: str, lang: str) -> str:
    return pick(PHRASES[key], lang)


def field_label(path: str, lang: str) -> str:
    return pick(FIELDS[path], lang) if path in FIELDS else path


def post_label(post: str, country: str, lang: str) -> str:
    table = POSTS.get(country, POSTS["VN"])
    return pick(table[post], lang) if post in table else post


def fmt_int(n: int, lang: str) -> str:
    text = f"{abs(n):,}"
    if lang == "vi":
        text = text.replace(",", ".")
    return ("-" if n < 0 else "") + text


def fmt_decimal(x: Decimal | float | int, lang: str) -> str:
    d = Decimal(str(x)).normalize()
    if d == d.to_integral_value():
        return fmt_int(int(d), lang)
    text = format(d, "f")
    whole, frac = text.split(".")
    return fmt_int(int(whole), lang) + ("," if lang == "vi" else ".") + frac


def fmt_money(amount: int | None, currency: str, lang: str) -> str:
    if amount is None:
        return phrase("undetermined_amount", lang)
    if currency == "VND":
        return f"{fmt_int(amount, lang)} ₫" if lang == "vi" else f"{fmt_int(amount, lang)} VND"
    return f"{fmt_int(amount, lang)} ¥" if lang == "vi" else f"{fmt_int(amount, lang)} CNY"


def fmt_share(x: Any, lang: str) -> str:
    return f"{fmt_decimal(Decimal(str(x)) * 100, lang)} %"


def fmt_date(d: date, lang: str) -> str:
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def fmt_value(value: Any, lang: str, share: bool = False, country: str = "VN") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return phrase("yes" if value else "no", lang)
    if isinstance(value, date):
        return fmt_date(value, lang)
    if isinstance(value, (tuple, list)):
        if not value:
            return "∅"
        return ", ".join(fmt_value(v, lang, country=country) for v in value)
    if isinstance(value, str):
        if value in POSTS.get(country, {}):
            return post_label(value, country, lang)
        return pick(VALUES[value], lang) if value in VALUES else value
    if share:
        return fmt_share(value, lang)
    if isinstance(value, (int, Decimal, float)):
        return fmt_decimal(value, lang)
    return str(value)
