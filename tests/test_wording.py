"""Vietnamese throughout (issue 17): answers name people and hamlets by name, sources by their
titles, confidence and missing fields in words, summaries in words, ``--help`` in the user's
language. The JSON contract keeps its codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cli import run

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"
DON_DUA = EX / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"
INCOMPLETE = EX / "vn.nghe-an" / "incomplete-dossier.yaml"
NGHE_AN = EX / "batch" / "nghe-an-sample.csv"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def evaluate(capsys, path: Path, lang: str, *more: str, pack: str = "vn.nghe-an", day: str = "2025-06-01") -> str:
    code, out, err = cli(capsys, "evaluate", str(path), "--pack", pack, "--as-of", day, "--lang", lang, *more)
    assert code == 0, err
    return out


# -- names, not ids ---------------------------------------------------------------------------


def test_the_heading_names_the_hamlet_and_the_person(capsys) -> None:
    out = evaluate(capsys, DON_DUA, "vi")
    # "Đồn Dừa" is a bare name: it is given its kind's word; the person by name
    assert out.splitlines()[0] == "Hồ sơ Thôn Đồn Dừa / Nguyễn Quang Biên"
    assert "don-dua" not in out and "nguyen-quang-bien" not in out
    assert evaluate(capsys, DON_DUA, "en").splitlines()[0] == "Case Đồn Dừa / Nguyễn Quang Biên"


def test_a_name_that_carries_its_kind_is_kept_and_an_id_stands_only_where_no_name_is_given(capsys) -> None:
    # "Thôn Đông" already says it is a thôn; the candidate has no name: their id
    out = evaluate(capsys, EX / "vn" / "large-village-2024.yaml", "vi", pack="vn", day="2024-06-01")
    assert out.splitlines()[0] == "Hồ sơ Thôn Đông / vu-duc-anh"
    # no name at all: the case id, as before
    assert evaluate(capsys, INCOMPLETE, "vi").splitlines()[0] == "Hồ sơ nam-dan-xom-5/phan-van-nam"


def test_the_json_keeps_the_case_id_and_no_words_of_the_heading(capsys) -> None:
    data = json.loads(evaluate(capsys, DON_DUA, "vi", "--format", "json"))
    assert data["case_id"] == "don-dua/nguyen-quang-bien"
    assert not any(k.startswith("_") for k in data) and "heading" not in json.dumps(data)
    assert {"doc": "decree-33-2023", "article": "Art. 33(6)"}.items() <= data["criteria"][0]["source"][0].items()


def test_a_roster_names_its_holders(capsys, tmp_path: Path) -> None:
    slate = yaml.safe_load((EX / "vn" / "roster-two-nominees.yaml").read_text(encoding="utf-8"))
    for holder, name in zip(slate["holders"], ("Nguyễn Văn A", "Trần Thị B", "Lê Văn C")):
        holder["candidate"]["name"] = name
    path = tmp_path / "slate.yaml"
    path.write_text(yaml.safe_dump(slate, allow_unicode=True), encoding="utf-8")
    out = evaluate(capsys, path, "vi", pack="vn", day="2024-06-01")
    assert out.splitlines()[0] == "Danh sách nhân sự của Xóm Đông"
    assert "có nhiều hơn một người được đề xuất (Nguyễn Văn A, Trần Thị B)" in out
    assert "  • Nguyễn Văn A: ĐỦ ĐIỀU KIỆN" in out and "Hồ sơ Xóm Đông / Trần Thị B" in out
    assert "nguyen-van-a" not in out


# -- sources by their titles, confidence in words ---------------------------------------------


def test_sources_are_cited_by_their_titles_in_the_readers_language(capsys) -> None:
    vi = evaluate(capsys, INCOMPLETE, "vi")
    assert "Nguồn: khoản 6 Điều 33 Nghị định 33/2023/NĐ-CP; Nghị quyết 18-NQ/TW [độ tin cậy: thấp]" in vi
    assert "Nguồn: điểm a khoản 2 Điều 12 Thông tư 04/2012/TT-BNV" in vi
    assert "decree-33-2023" not in vi and "Art." not in vi and "circular-04-2012" not in vi
    en = evaluate(capsys, INCOMPLETE, "en")
    assert "Source: Decree 33/2023/ND-CP, Art. 33(6); Resolution 18-NQ/TW [confidence: low]" in en
    zh = evaluate(capsys, INCOMPLETE, "zh")
    assert "越南政府第33/2023/NĐ-CP号议定第33条第6款" in zh


def test_rules_show_says_confidence_in_words(capsys) -> None:
    code, out, _ = cli(capsys, "rules", "show", "vn.nghe-an", "--lang", "vi", "--as-of", "2025-06-01")
    assert code == 0
    assert "[độ tin cậy: trung bình]" in out and "[medium]" not in out and "[low]" not in out
    assert "Điều 3 Nghị định 24/2023/NĐ-CP" in out


# -- what is missing, by name -----------------------------------------------------------------


def test_one_case_names_what_is_missing(capsys) -> None:
    out = evaluate(capsys, INCOMPLETE, "vi")
    line = next(ln for ln in out.splitlines() if ln.startswith("Còn thiếu:"))
    assert line == ("Còn thiếu: đủ sức khỏe, bị kỷ luật, tỷ lệ phiếu bầu, "
                    "được nhân dân tín nhiệm (ban tổ chức xác nhận)")
    assert "còn thiếu: đặc điểm địa bàn của thôn, số hộ của thôn khi chuyển thành tổ dân phố." in out
    assert "hamlet.area" not in out and "candidate." not in out
    # an allowance open on a parameter: by its title, not params.…
    assert "chưa có quy định về «Phụ cấp hằng tháng của bí thư chi bộ thôn»" in out and "params." not in out
    data = json.loads(evaluate(capsys, INCOMPLETE, "vi", "--format", "json"))
    assert "candidate.vote_share" in data["missing"]  # the contract keeps the paths


def test_the_batch_names_what_is_missing_and_keeps_the_paths_in_its_column(capsys, tmp_path: Path) -> None:
    out_csv, summary = tmp_path / "out.csv", tmp_path / "summary.json"
    code, text, err = cli(capsys, "batch", str(NGHE_AN), "--pack", "vn.nghe-an", "--as-of", "2025-06-01", "-o", str(out_csv),
                          "--summary", str(summary), "--lang", "vi")
    assert code == 0, err
    import polars as pl

    rows = pl.read_csv(out_csv).filter(pl.col("decision") == "undetermined")
    assert rows.height
    assert set(rows["missing"].str.split(";").explode()) <= {"candidate.vote_share", "candidate.trusted_by_people"}
    for explanation in rows["explanation"]:
        assert explanation.startswith("CHƯA XÁC ĐỊNH ĐƯỢC — còn thiếu: ") and "candidate." not in explanation
    assert any("tỷ lệ phiếu bầu" in e for e in rows["explanation"])
    # the summary: what the undetermined rows lack, by name, counted; its JSON keeps the paths
    line = next(ln for ln in text.splitlines() if ln.startswith("Còn thiếu"))
    assert "được nhân dân tín nhiệm (ban tổ chức xác nhận): 11 hàng" in line and "tỷ lệ phiếu bầu: 8 hàng" in line
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["missing"] == {"candidate.trusted_by_people": 11, "candidate.vote_share": 8}
    # decisions in words, never codes
    assert "  đủ điều kiện " in text and "chưa xác định" in text
    assert "eligible" not in text and "undetermined" not in text


def test_a_summary_names_its_targets(capsys, tmp_path: Path) -> None:
    code, text, _ = cli(capsys, "batch", str(EX / "batch" / "da-nang-sample.xlsx"), "--pack", "vn.da-nang",
                        "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv"), "--lang", "vi")
    assert code == 0
    assert "✔ Tỷ lệ trưởng thôn, tổ trưởng tổ dân phố là đảng viên [tỉnh] Đà Nẵng" in text
    assert "da-nang.target" not in text


# -- --help in the user's language ------------------------------------------------------------


@pytest.mark.parametrize("env,first,options", [
    ({"KIEMNHIEM_LANG": "vi"}, "Cách dùng: kiemnhiem batch", "Tùy chọn:"),
    ({"LANG": "vi_VN.UTF-8"}, "Cách dùng: kiemnhiem batch", "Tùy chọn:"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "vi_VN.UTF-8"}, "用法: kiemnhiem batch", "选项:"),
    ({"LANG": "C.UTF-8"}, "Usage: kiemnhiem batch", "Options:"),
    ({}, "Usage: kiemnhiem batch", "Options:"),
])
def test_help_speaks_the_users_language(capsys, monkeypatch, env: dict[str, str], first: str, options: str) -> None:
    for var in ("KIEMNHIEM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    code, out, _ = cli(capsys, "batch", "--help")
    assert code == 0
    assert out.startswith(first) and f"\n{options}\n" in out
    out = " ".join(out.split())  # as read, whatever the terminal's wrapping
    if first.startswith("Cách dùng"):
        assert "Mã gói quy tắc, ví dụ vn.nghe-an" in out and "[bắt buộc]" in out and "[mặc định: 200000]" in out
        assert "Hiện phần trợ giúp này rồi thoát." in out and "Evaluate" not in out


def test_lang_on_the_command_line_chooses_the_help_and_every_option_has_help(capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, _ = cli(capsys, "evaluate", "--help", "--lang", "vi")
    assert code == 0 and out.startswith("Cách dùng: kiemnhiem evaluate")
    assert "markdown để đưa vào biên bản" in " ".join(out.split())  # --format, which had no help text at all
    monkeypatch.setenv("KIEMNHIEM_LANG", "vi")  # the group has no --lang: the environment chooses
    code, out, _ = cli(capsys, "--help")
    assert "Lệnh:" in out and "Xét hồ sơ DOSSIER" in out


# -- the review -------------------------------------------------------------------------------


def test_reviewed_vietnamese_reads_naturally(capsys) -> None:
    from engine.i18n import catalogue

    vi = catalogue("vi")
    texts = "\n".join(vi.values())
    assert "là có" not in texts.replace("là có thể", "")  # "(yêu cầu: là có)"
    assert ". tham số" not in texts  # a sentence continued in lower case after a full stop
    out = evaluate(capsys, INCOMPLETE, "vi")
    assert "Tổng phải chi trả hằng tháng: chưa xác định (vì chưa có kết luận)" in out  # not "chưa xác định mỗi tháng"
