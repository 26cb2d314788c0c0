"""What ``pack.yaml`` declares beyond identity: the pack's ``country`` and its ``fund_base``.

Both are read through one accessor (``Policy.country``, ``Policy.fund_base`` /
``Snapshot.fund_base_value``); an overlay inherits them; a contradiction is a located load error;
an older pack without them still loads (country from its currency, fund base ``base_salary``).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, VN_BASE, merge, policy
from engine import api
from engine.backends import columnar
from engine.backends.facts import add_terms, flatten
from engine.errors import InputError, RuleFileError

AS_OF = date(2024, 7, 1)


def _rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    return rules


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line(path: Path, prefix: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if ln.startswith(prefix))


def test_the_shipped_packs_declare_their_country_and_fund_base() -> None:
    for pack in ("vn", "vn.nghe-an", "vn.da-nang", "cn", "cn.hubei", "cn.hainan", "cn.henan"):
        text = (ROOT / "rules" / pack / "pack.yaml").read_text(encoding="utf-8")
        country = "VN" if pack.startswith("vn") else "CN"
        assert re.search(rf"^country: {country}$", text, re.M), pack
        assert policy(pack).country == country
    assert re.search(r"^fund_base: base_salary$", (ROOT / "rules" / "vn" / "pack.yaml").read_text(encoding="utf-8"), re.M)
    assert policy("vn.nghe-an").fund_base == "base_salary"  # inherited from vn
    assert policy("vn").snapshot(AS_OF).fund_base_value == policy("vn").params["base_salary"].value_on(AS_OF)


def test_an_overlay_contradicting_its_base_country_is_refused_at_its_line(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    header = rules / "vn.nghe-an" / "pack.yaml"
    _edit(header, "country: VN", "country: CN")
    with pytest.raises(RuleFileError) as info:
        api.load_policy("vn.nghe-an", [rules])
    err = info.value
    assert err.where.file == str(header) and err.where.line == _line(header, "country:")
    assert "the pack it extends, 'vn', is for VN" in err.message("en")


def test_a_country_contradicting_the_currency_is_refused_at_its_line(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    header = rules / "cn" / "pack.yaml"
    _edit(header, "country: CN", "country: VN")
    with pytest.raises(RuleFileError) as info:
        api.load_policy("cn", [rules])
    assert info.value.where.file == str(header) and info.value.where.line == _line(header, "country:")
    assert "currency CNY does not match country VN" in info.value.message("en")


def test_an_overlay_without_country_in_another_currency_is_refused_at_its_currency(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    header = rules / "cn.henan" / "pack.yaml"
    _edit(header, "country: CN\n", "")
    _edit(header, "currency: CNY", "currency: VND")
    with pytest.raises(RuleFileError) as info:
        api.load_policy("cn.henan", [rules])
    assert info.value.where.file == str(header) and info.value.where.line == _line(header, "currency:")


def test_an_older_pack_without_the_declarations_still_loads(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    for header in rules.glob("*/pack.yaml"):
        text = header.read_text(encoding="utf-8")
        header.write_text(re.sub(r"^(country|fund_base): .*\n", "", text, flags=re.M), encoding="utf-8")
    for pack in ("vn", "vn.nghe-an", "cn", "cn.henan"):
        old, shipped = api.load_policy(pack, [rules]), policy(pack)
        assert "country:" not in (rules / pack / "pack.yaml").read_text(encoding="utf-8")
        assert (old.country, old.fund_base) == (shipped.country, shipped.fund_base)
        assert old.hash == shipped.hash  # the settled declarations are what the hash sees


def test_a_proposal_inherits_the_declarations() -> None:
    pol = api.load_policy("cn.hainan", proposal=ROOT / "proposals" / "hainan-islands-1000.yaml")
    assert (pol.country, pol.currency, pol.fund_base) == ("CN", "CNY", "base_salary")
    pol = api.load_policy("vn.nghe-an", proposal=ROOT / "proposals" / "nghe-an-concurrent-100.yaml")
    assert (pol.country, pol.currency, pol.fund_base) == ("VN", "VND", "base_salary")


def _renamed_base(tmp_path: Path) -> Path:
    """The vn packs with the base salary named ``luong_co_so`` and declared as the fund base."""
    rules = _rules(tmp_path)
    for path in rules.glob("vn*/*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("base_salary", "luong_co_so"), encoding="utf-8")
    assert "fund_base: luong_co_so" in (rules / "vn" / "pack.yaml").read_text(encoding="utf-8")
    return rules


@pytest.mark.parametrize("backend", ["durable", "reference"])
def test_the_fund_is_read_from_the_declared_base(tmp_path: Path, backend: str) -> None:
    renamed = api.load_policy("vn.nghe-an", [_renamed_base(tmp_path)])
    assert renamed.fund_base == "luong_co_so" and "base_salary" not in renamed.params
    case = api.read_case(VN_BASE, "<test>", AS_OF)
    got = api.evaluate(renamed, case, AS_OF, backend=backend)
    want = api.evaluate(policy("vn.nghe-an"), case, AS_OF, backend=backend)
    assert got.fund is not None and want.fund is not None
    assert got.fund.monthly == want.fund.monthly is not None
    assert got.fund.base_salary == want.fund.base_salary is not None
    assert got.fund.sentence == want.fund.sentence


def test_the_columnar_fund_is_read_from_the_declared_base(tmp_path: Path) -> None:
    renamed = api.load_policy("vn", [_renamed_base(tmp_path)]).snapshot(AS_OF)
    shipped = policy("vn").snapshot(AS_OF)
    case = api.read_case(VN_BASE, "<test>", AS_OF)
    frames = [columnar.compiled(s).evaluate(columnar.frame_from_envs([add_terms(flatten(case, AS_OF), s.terms)]))
              for s in (renamed, shipped)]
    assert frames[0]["fund_monthly"].to_list() == frames[1]["fund_monthly"].to_list() != [None]


def test_an_unknown_fund_base_is_missing_under_its_own_name(tmp_path: Path) -> None:
    rules = _renamed_base(tmp_path)
    _edit(rules / "vn" / "parameters.yaml", "luong_co_so:", "luong_co_so_old:")
    with pytest.raises(RuleFileError) as info:
        api.load_policy("vn", [rules])
    assert "the fund base 'luong_co_so'" in info.value.message("en")
    assert info.value.where.pack == "vn" and info.value.where.rule  # at the first fund rule


def test_a_fund_base_that_is_not_money_is_refused(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    _edit(rules / "vn" / "pack.yaml", "fund_base: base_salary", "fund_base: max_paid_posts")
    params = rules / "vn" / "parameters.yaml"
    with pytest.raises(RuleFileError) as info:
        api.load_policy("vn", [rules])
    assert "must be money" in info.value.message("en")
    where = info.value.where
    assert (where.file, where.rule) == (str(params), "max_paid_posts")
    assert where.line is not None and 0 <= where.line - _line(params, "  max_paid_posts:") <= 1  # the parameter's definition


def test_a_hamlet_in_china_is_still_refused_by_a_vietnamese_pack() -> None:
    case = api.read_case(merge(VN_BASE, {"hamlet.country": "CN"}), "<test>", AS_OF)
    with pytest.raises(InputError) as info:
        api.check_post_country(policy("vn.nghe-an"), case, "<test>")
    assert "the hamlet is in CN but pack vn.nghe-an is for VN" in info.value.message("en")
