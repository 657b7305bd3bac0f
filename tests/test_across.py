"""Across reports: keys, periods, the pivot, the store and the promise tracker.

The real checks run over the national government reports of ../shared/corpus (skipped where it is
absent) and over the bundled samples of corpus/.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3

import pytest
from typer.testing import CliRunner

from extractor.across.dataset import Dataset
from extractor.across.keys import KeyMaker
from extractor.cli import app

from .conftest import SHARED_CORPUS, needs_shared_corpus

runner = CliRunner()
NATIONAL = sorted(SHARED_CORPUS.glob("gov-national-*.txt")) if SHARED_CORPUS.is_dir() else []


def _dataset(pipeline, paths) -> Dataset:
    from extractor.batch import _record
    from extractor.io.reader import Source, read_source

    data = Dataset()
    for p in paths:
        document = read_source(Source(p, p.name))
        analysis = pipeline.analyse(document.text, document.name)
        facts = pipeline.facts(analysis, document.name)
        data.add(_record(document, analysis.document, facts), facts)
    return data


@pytest.fixture(scope="module")
def national(pipeline) -> Dataset:
    return _dataset(pipeline, NATIONAL)


# ---- keys

@pytest.mark.parametrize("names", [
    ("国内生产总值", "地区生产总值", "全市生产总值", "GDP", "全省地区生产总值"),
    ("城镇新增就业", "新增城镇就业", "全年城镇新增就业"),
    ("一般公共预算收入", "地方一般公共预算收入"),
    ("完成固定资产投资", "全社会固定资产投资", "固定资产投资"),
])
def test_aliases_and_trivially_different_names_share_a_key(rules, names):
    keys = KeyMaker(rules)
    assert len({keys.key(n, "", False) for n in names}) == 1, [keys.key(n, "", False) for n in names]


@pytest.mark.parametrize("name", ["能耗", "就业岗位", "达标率", "现金流量", "再生能源装机", "使用外资", "共享开放数据"])
def test_a_key_never_cuts_the_first_word_of_a_name(rules, name):
    # a one-character scope word (能, 就, 达, 现, 再, 使, 共) is the start of a word here
    assert KeyMaker(rules).key(name, "", False) == name


def test_a_level_and_its_change_have_different_keys(rules):
    keys = KeyMaker(rules)
    level, rise = keys.key("国内生产总值", "", False), keys.key("国内生产总值", "up", False)
    assert level != rise and rise == keys.key("经济增速", "", False)
    assert keys.key("居民消费价格涨幅", "", False) == keys.key("居民消费价格", "up", False)
    assert keys.key("国内生产总值", "up", keys.reached("增加到51.9万亿元")) == level    # a level reached
    assert not keys.reached("增长3至5%")


def test_which_way_is_better(rules):
    keys = KeyMaker(rules)
    assert keys.better("城镇调查失业率") == "lower" and keys.better("单位生产总值能耗·下降") == "lower"
    assert keys.better("生产总值·增长") == "higher" and keys.better("交通事故起数") == "lower"


# ---- periods

GOV = ("政府工作报告\n——2024年1月10日在某县第十八届人民代表大会第三次会议上\n各位代表：\n"
       "一、2023年工作回顾\n全县地区生产总值增长5.8%。一季度完成投资12亿元。过去五年，城镇新增就业累计2.1万人。\n"
       "二、2024年工作安排\n主要预期目标：地区生产总值增长6%左右，城镇新增就业4000人以上。\n")
SUMMARY = ("某镇2023年工作总结\n一、主要工作\n全年新增市场主体86户，同比增长12%。上半年接待游客3.2万人次。\n"
           "二、存在问题\n35岁以下干部占比不足20%。\n三、2024年工作打算\n力争新增市场主体100户以上。\n")


@pytest.mark.parametrize("text, expected", [
    (GOV, {"5.8": "2023", "12": "2023Q1", "2.1万": "2019–2023", "6%": "2024", "4000": "2024"}),
    (SUMMARY, {"86": "2023", "12%": "2023", "3.2万": "2023H1", "20%": "2023", "100": "2024"}),
])
def test_periods_follow_the_documents_own_years(pipeline, text, expected):
    facts = [f for f in pipeline.extract(text, "x.txt") if f.type == "indicator"]
    got = {probe: next(f.period for f in facts if probe in f.text) for probe in expected}
    assert got == expected


@needs_shared_corpus
def test_government_reviews_describe_the_year_before_and_plans_their_own_year(pipeline):
    """Review figures with no time of their own, in sections that name no other period, describe
    the year before the report; the targets of its plan, its own year."""
    checked = 0
    for path in sorted(SHARED_CORPUS.glob("gov-*.txt")):
        analysis = pipeline.analyse(path.read_text(encoding="utf-8-sig"), path.name)
        year = analysis.document.year
        if str(analysis.document.kind) != "government_report" or year is None:
            continue
        for f in pipeline.facts(analysis, path.name):
            if f.type != "indicator" or f.time or re.search(r"\d|五年|十.五|过去|以来|今后", f.section):
                continue
            if f.section_kind == "review":
                checked += 1
                # or a span ending that year, named earlier in its paragraph (十年来, …)
                assert f.period == str(year - 1) or f.period.endswith(f"–{year - 1}"), (path.name, f.text)
            elif f.section_kind == "plan" and f.parent.startswith("t"):
                checked += 1
                assert f.period == str(year), (path.name, f.text, f.period)
    assert checked > 150


# ---- the pivot

@needs_shared_corpus
def test_pivot_of_national_reports_has_gdp_growth_by_year_from_the_next_report(national):
    wide, trace = national.pivot_tables()
    growth = [r for r in wide.rows if r["key"] == "生产总值·增长" and r["unit"] == "%"]
    assert len(growth) == 1
    years = {p: v for p, v in growth[0].items() if re.fullmatch(r"\d{4}", p) and v is not None}
    assert len(years) >= 8, years
    given = {d["doc"]: d["year"] for d in national.documents}
    for cell in trace.rows:
        if cell["key"] == "生产总值·增长" and cell["period"] in years:
            assert given[cell["doc"]] == int(cell["period"]) + 1, cell
    assert years["2023"] == 5.2 and years["2022"] == 3 and years["2020"] == 2.3


@needs_shared_corpus
def test_pivot_csv_and_workbook_from_the_cli(tmp_path):
    folder = tmp_path / "national"
    folder.mkdir()
    for p in NATIONAL[-4:]:
        shutil.copy(p, folder / p.name)
    r = runner.invoke(app, [str(folder), "--pivot", "-f", "csv", "-q"])
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:2] == ["key", "unit"] and rows[0][2:] == sorted(rows[0][2:])
    assert any(row[0] == "生产总值·增长" for row in rows)
    out = tmp_path / "pivot.xlsx"
    assert runner.invoke(app, [str(folder), "--pivot", "-o", str(out), "-q"]).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert {"pivot", "trace", "documents"} <= set(book.sheetnames)
    assert book["charts"]._charts, "a line chart for the indicators with three periods or more"


# ---- the store

@needs_shared_corpus
def test_store_grows_and_reads_only_what_changed(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for p in NATIONAL[-5:]:
        shutil.copy(p, folder / p.name)
    store = tmp_path / "reports.sqlite"
    first = runner.invoke(app, [str(folder), "-o", str(store)])
    assert first.exit_code == 0 and "5 files read" in first.stderr
    second = runner.invoke(app, [str(folder), "-o", str(store)])
    assert "0 files read, 5 unchanged" in second.stderr
    changed = folder / NATIONAL[-1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新增就业1000人。\n", encoding="utf-8")
    third = runner.invoke(app, [str(folder), "-o", str(store)])
    assert "1 file read, 4 unchanged" in third.stderr
    # the store's facts are exactly the rows --format csv gives
    direct = runner.invoke(app, [str(folder), "-f", "csv", "-q"]).stdout
    stored = runner.invoke(app, [str(store), "-f", "csv", "-q"]).stdout
    assert stored == direct
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert db.execute("SELECT count(*) FROM pivot").fetchone()[0] > 0


def test_a_failed_document_is_read_by_the_next_run(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(SUMMARY, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01" * 100)
    store = tmp_path / "s.sqlite"
    assert runner.invoke(app, [str(folder), "-o", str(store)]).exit_code == 1
    (folder / "b.txt").write_text(GOV, encoding="utf-8")
    again = runner.invoke(app, [str(folder), "-o", str(store)])
    assert again.exit_code == 0 and "1 file read, 1 unchanged" in again.stderr


# ---- promises

@needs_shared_corpus
def test_the_2023_national_targets_are_judged_against_the_2024_report(national, rules):
    rows = national.promises_table(rules).rows
    want = {"生产总值·增长": "met", "城镇新增就业": "met", "城镇调查失业率": "met", "居民消费价格·增长": "met",
            "粮食产量": "met"}
    got = {r["key"]: r for r in rows if r["target_doc"] == "gov-national-2023.txt" and r["key"] in want}
    assert set(got) == set(want)
    for key, row in got.items():
        assert row["outcome_doc"] == "gov-national-2024.txt" and row["status"] == want[key], row
    missed = next(r for r in rows if r["target_doc"] == "gov-national-2022.txt" and r["key"] == "生产总值·增长")
    assert (missed["target_value"], missed["outcome_value"], missed["status"]) == (5.5, 3, "missed")


@needs_shared_corpus
def test_no_target_is_paired_with_another_key_or_period(national, rules):
    facts = {(f["doc"], f["start"], f["end"]): f for f in national.facts if f["type"] == "indicator"}
    paired = [r for r in national.promises_table(rules).rows if r["status"] != "no outcome"]
    assert paired
    for r in paired:
        target = next(f for (d, s, e), f in facts.items() if d == r["target_doc"] and s == r["target_start"])
        outcome = next(f for (d, s, e), f in facts.items() if d == r["outcome_doc"] and s == r["outcome_start"])
        assert target["key"] == outcome["key"] and target["period"] == outcome["period"]
        assert not (outcome["section_kind"] == "plan" or outcome["parent"].startswith("t")), "a target"


# ---- the bundled samples: an invented county's two reports, a township's plan and summary

from .conftest import CORPUS  # noqa: E402

SAMPLES = ["gov-county-qingxi-2023.txt", "gov-county-qingxi-2024.txt", "plan-township-liuhe-2024.txt",
           "summary-township-liuhe-2024.txt"]


@pytest.fixture(scope="module")
def samples(pipeline) -> Dataset:
    return _dataset(pipeline, [CORPUS / name for name in SAMPLES])


def test_the_county_pivot_has_growth_for_two_years_each_from_the_next_report(samples):
    wide, trace = samples.pivot_tables()
    growth = next(r for r in wide.rows if r["key"].endswith("生产总值·增长") and r["unit"] == "%")
    assert (growth["2022"], growth["2023"]) == (4.6, 6.2)
    sources = {c["period"]: c["doc"] for c in trace.rows if c["key"] == growth["key"]}
    assert sources == {"2022": "gov-county-qingxi-2023.txt", "2023": "gov-county-qingxi-2024.txt"}


def _expected() -> list[dict]:
    lines = [l for l in (CORPUS.parent / "tests" / "data" / "promises_expected.tsv").read_text(encoding="utf-8")
             .splitlines() if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


@pytest.mark.parametrize("want", _expected(), ids=lambda w: w["target_text"])
def test_every_sample_target_gets_its_annotated_status(samples, rules, want):
    rows = samples.promises_table(rules).rows
    found = [r for r in rows if r["target_doc"] == want["target_doc"] and want["target_text"] in r["target_text"]
             or r["target_doc"] == want["target_doc"] and r["target_text"] in want["target_text"]]
    assert found, f"no target found for {want['target_text']}"
    assert found[0]["status"] == want["expected_status"], (found[0]["outcome_text"], want["why"])
