"""The spaCy component ``report_facts``: the same facts as the CLI and ``extract_text``, on a user's Doc.

Every bundled sample report goes through a fresh ``spacy.blank("zh")`` with ``add_pipe("report_facts")``;
its span groups and their extensions must equal the CLI's rows (``extract corpus -f jsonl``, run in
another process) and ``extract_text``'s, and each span must cover its fact's characters. Then the
things a user's pipeline brings: a tokenizer that cuts differently, CRLF text, extra rule folders, a
pipeline saved and loaded, a Doc serialised, and the factory found through its entry point with
extractor not imported (from pyproject's declaration, and from a real ``pip install``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

spacy = pytest.importorskip("spacy")

from extractor import extract_text  # noqa: E402
from extractor.io.reader import Source, read_source  # noqa: E402
from extractor.model import FACT_TYPES, plain_number  # noqa: E402
from extractor.spacy_component import (  # noqa: E402
    FACTORY, OUTLINE_FIELDS, SPAN_ATTRIBUTES, doc_offsets, register_extensions,
)

SAMPLES = sorted(CORPUS.glob("*.txt"))
# the columns each span's extensions must give as the row does (fact_id is the row's id)
ROW_COLUMNS = ("id", "name", "key", "value", "value_max", "unit", "qualifier", "direction", "time",
               "period", "parent", "section", "section_kind", "level")
SHORT = "一、工作回顾\n全年走访群众2853次，新增就业200人。\n二、下一步打算\n新建农村公路60公里，其中硬化道路20公里。\n"


def _norm(value):
    """A cell as the CLI's JSON gives it: integral floats as ints, enums as their words."""
    if isinstance(value, float):
        return plain_number(value)
    return str(value) if isinstance(value, str) else value


def _span_row(span) -> dict:
    row = {col: _norm(getattr(span._, "fact_id" if col == "id" else col)) for col in ROW_COLUMNS}
    row["type"] = span.label_
    return row


def _cli_row(row: dict) -> dict:
    return {**{col: row[col] for col in ROW_COLUMNS}, "type": row["type"]}


def _read(path: Path) -> str:
    return read_source(Source(path, path.name)).text


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe(FACTORY)
    return nlp


def _run(nlp, text: str, name: str | None = None):
    doc = nlp.make_doc(text)
    if name is not None:
        doc._.report_name = name
    return nlp(doc)


@pytest.fixture(scope="module")
def cli_rows() -> dict[str, list[dict]]:
    """The CLI's rows of the bundled corpus, per document, from one run in another process."""
    done = subprocess.run([sys.executable, "-m", "extractor", str(CORPUS), "-f", "jsonl", "-q", "--jobs", "1"],
                          cwd=ROOT, capture_output=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    rows: dict[str, list[dict]] = {}
    for line in done.stdout.decode("utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["doc"], []).append(row)
    return rows


# ---- the bundled corpus: component = CLI = extract_text ------------------------------------------------

@pytest.mark.skipif(not SAMPLES, reason="the bundled sample corpus is missing")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_component_gives_the_cli_rows(nlp, cli_rows, path):
    text = _read(path)
    doc = _run(nlp, text, path.name)
    rows = cli_rows[path.name]
    assert set(doc.spans) >= set(FACT_TYPES)
    for fact_type in FACT_TYPES:
        expected = [_cli_row(r) for r in rows if r["type"] == fact_type]
        spans = list(doc.spans[fact_type])
        assert [_span_row(s) for s in spans] == expected, fact_type
        for span, row in zip(spans, (r for r in rows if r["type"] == fact_type)):
            assert len(span) > 0
            # the default Chinese tokenizer cuts per character: the span is the fact's text exactly
            assert (span.start_char, span.end_char) == (row["start"], row["end"])
            assert span.text == row["text"] == text[row["start"]:row["end"]]
    heads = [r for r in rows if r["type"] == "heading"]
    assert doc._.outline == [{k: r[k] for k in OUTLINE_FIELDS} for r in heads]


@pytest.mark.skipif(not SAMPLES, reason="the bundled sample corpus is missing")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_component_gives_extract_text_facts(nlp, cli_rows, path):
    text = _read(path)
    facts = extract_text(text, path.name)
    assert _run(nlp, text, path.name)._.facts == facts
    # and extract_text gives what the CLI gives, column for column
    assert [{k: _norm(v) for k, v in f.as_dict().items()} for f in facts] == cli_rows[path.name]


def test_facts_without_a_report_name(nlp):
    doc = nlp(SHORT)
    assert doc._.facts == extract_text(SHORT)
    assert [s.text for s in doc.spans["indicator"]] == ["走访群众2853次", "新增就业200人", "新建农村公路60公里",
                                                        "硬化道路20公里"]
    part = doc.spans["indicator"][3]
    assert (part._.fact_id, part._.value, part._.unit, part._.parent) == ("i4", 20.0, "公里", "i3")
    assert [h["name"] for h in doc._.outline] == ["工作回顾", "下一步打算"]
    assert [h["section_kind"] for h in doc._.outline] == ["review", "plan"]


def test_a_doc_the_component_has_not_seen(nlp):
    doc = nlp.make_doc(SHORT)
    assert doc._.facts is None and doc._.outline is None
    assert doc[0:2]._.name is None


def test_a_task_and_its_target_on_the_same_characters_keep_their_own_attributes(nlp):
    # spaCy keys stored span extensions by characters; the component looks them up by fact id
    text = "二、下一步工作打算\n（一）抓好重点项目。新建农村公路60公里。\n"
    doc = nlp(text)
    tasks = {(s.start_char, s.end_char): s for s in doc.spans["task"]}
    shared = [s for s in doc.spans["indicator"] if (s.start_char, s.end_char) in tasks]
    assert shared, "a target that is its task's whole clause"
    for target in shared:
        task = tasks[(target.start_char, target.end_char)]
        assert target._.fact_id.startswith("i") and task._.fact_id.startswith("t")
        assert target._.value == 60 and task._.value is None
        assert target._.parent == task._.fact_id


# ---- a user's pipeline ---------------------------------------------------------------------------------

def _check_cover(doc, text: str):
    """Every span is non-empty and covers its fact's non-blank characters; its attributes are its fact's."""
    facts = {f.id: f for f in doc._.facts}
    to_doc = doc_offsets(text)
    for fact_type in FACT_TYPES:
        for span in doc.spans[fact_type]:
            fact = facts[span._.fact_id]
            assert len(span) > 0
            stripped = fact.text.strip()
            first = fact.start + fact.text.index(stripped[0]) if stripped else fact.start
            last = fact.start + len(fact.text.rstrip())
            assert span.start_char <= to_doc(first) and span.end_char >= to_doc(last), (fact.id, span.text)
            assert (span.label_, span._.name, span._.value, span._.unit) == \
                   (fact.type, fact.name, fact.value, fact.unit)


@pytest.mark.skipif(not SAMPLES, reason="the bundled sample corpus is missing")
@pytest.mark.parametrize("config", [{"nlp": {"tokenizer": {"segmenter": "jieba"}}}, None],
                         ids=["zh-jieba-words", "xx-whitespace"])
def test_a_tokenizer_that_cuts_differently(config):
    nlp = spacy.blank("zh", config=config) if config else spacy.blank("xx")
    nlp.add_pipe(FACTORY)
    for path in SAMPLES[:4]:
        text = _read(path)
        doc = nlp(text)
        assert doc._.facts == extract_text(text)
        _check_cover(doc, text)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_text_maps_onto_doc_text(nlp, newline):
    text = (_read(SAMPLES[0]) if SAMPLES else SHORT * 3).replace("\n", newline)
    doc = nlp(text)
    facts = extract_text(text)
    assert doc._.facts == facts  # the rows are the CLI's: offsets into the text with "\n" newlines
    assert facts and doc.text == text
    for fact_type in FACT_TYPES:
        for span, fact in zip(doc.spans[fact_type], (f for f in facts if f.type == fact_type), strict=True):
            assert span.text.replace("\r\n", "\n").replace("\r", "\n") == fact.text
            assert text[span.start_char:span.end_char] == span.text
    assert [text[h["start"]:h["end"]] for h in doc._.outline] == \
           [s.text for s in doc.spans["heading"]]
    _check_cover(doc, text)


def test_offsets_over_crlf():
    to_doc = doc_offsets("a\r\nb\r\n\r\nc\rd")
    # normalised: "a\nb\n\nc\nd"
    assert [to_doc(i) for i in range(9)] == [0, 1, 3, 4, 6, 8, 9, 10, 11]
    assert doc_offsets("plain\ntext")(7) == 7


def test_extra_rule_folders_are_the_config(tmp_path):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "units.tsv").write_text("text\tunit\tkind\tfactor\tnot_before\n车皮\t车皮\tcount\t\t\n",
                                     encoding="utf-8")
    text = "全年外运煤炭300车皮。"
    plain = spacy.blank("zh")
    plain.add_pipe(FACTORY)
    mine = spacy.blank("zh")
    mine.add_pipe(FACTORY, config={"rules": [str(rules)]})
    assert mine.get_pipe_config(FACTORY)["rules"] == [str(rules)]
    doc, plain_doc = mine(text), plain(text)
    assert [(s._.value, s._.unit) for s in doc.spans["indicator"]] == [(300, "车皮")]
    assert len(plain_doc.spans["indicator"]) == 0
    assert doc._.facts == extract_text(text, rule_dirs=[rules])


def test_a_bad_rule_folder_fails_at_add_pipe(tmp_path):
    from extractor.rules import RuleError

    (tmp_path / "units.tsv").write_text("text\tunit\n车皮\t车皮\textra\n", encoding="utf-8")
    with pytest.raises(RuleError, match="units.tsv"):
        spacy.blank("zh").add_pipe(FACTORY, config={"rules": [str(tmp_path)]})


def test_pipeline_saved_and_loaded(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == [FACTORY]
    a, b = nlp(SHORT), loaded(SHORT)
    assert [[_span_row(s) for s in a.spans[t]] for t in FACT_TYPES] == \
           [[_span_row(s) for s in b.spans[t]] for t in FACT_TYPES]


def test_doc_serialised_keeps_spans_and_attributes(nlp):
    from spacy.tokens import Doc, DocBin

    doc = _run(nlp, SHORT, "short-2023.txt")
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (from_bin,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab)
    for other in (again, from_bin):
        assert other._.facts == doc._.facts and other._.outline == doc._.outline
        for t in FACT_TYPES:
            assert [_span_row(s) for s in other.spans[t]] == [_span_row(s) for s in doc.spans[t]]


def test_nlp_pipe_gives_the_same_docs(nlp):
    texts = [SHORT, SHORT.replace("2853", "100"), ""]
    docs = list(nlp.pipe(texts))
    assert [d._.facts for d in docs] == [extract_text(t) for t in texts]
    assert all(len(docs[2].spans[t]) == 0 for t in FACT_TYPES)


def test_an_extension_someone_else_registered_is_an_error():
    from spacy.tokens import Span

    register_extensions()
    saved = Span.remove_extension("name")
    try:
        Span.set_extension("name", default="theirs")
        with pytest.raises(ValueError, match="Span extension 'name' is already registered"):
            register_extensions()
    finally:
        Span.remove_extension("name")
        Span.set_extension("name", getter=saved[2])
    register_extensions()


# ---- the entry point -----------------------------------------------------------------------------------

ENTRY_POINT_CHECK = textwrap.dedent("""
    import json, sys
    import spacy
    assert "extractor" not in sys.modules, "imported before any pipeline asked for it"
    nlp = spacy.blank("zh")
    nlp.add_pipe("report_facts")
    doc = nlp({text!r})
    print(json.dumps({{"module": sys.modules["extractor"].__file__,
                       "indicators": [[s.text, s._.value, s._.unit] for s in doc.spans["indicator"]]}},
                     ensure_ascii=False))
""")


def _entry_points() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["entry-points"]


def test_pyproject_declares_the_factory():
    from extractor import spacy_component

    # spaCy's registry of factories from other packages: catalogue.create("spacy", "factories",
    # entry_points=True), i.e. the entry-point group "spacy_factories"
    assert _entry_points()["spacy_factories"] == {FACTORY: "extractor.spacy_component:make_report_facts"}
    assert spacy.language.Language.has_factory(FACTORY)
    assert spacy_component.make_report_facts.__name__ == "make_report_facts"


def _check_in_fresh_process(pythonpath: list[Path], cwd: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, pythonpath))}
    done = subprocess.run([sys.executable, "-c", ENTRY_POINT_CHECK.format(text=SHORT)], cwd=cwd, env=env,
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])


def test_add_pipe_by_name_finds_the_factory_through_the_declared_entry_point(tmp_path):
    """The metadata pip writes from pyproject's entry points, laid before this checkout on the path;
    a fresh process that never imports extractor gets the component by its name."""
    dist = tmp_path / "site" / "extractor-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: extractor\nVersion: 0.1.0\n", encoding="utf-8")
    lines = []
    for group, entries in _entry_points().items():
        lines += [f"[{group}]", *(f"{name} = {target}" for name, target in entries.items()), ""]
    (dist / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    out = _check_in_fresh_process([tmp_path / "site", ROOT], tmp_path)
    assert Path(out["module"]).resolve() == ROOT / "extractor" / "__init__.py"
    assert out["indicators"][:2] == [["走访群众2853次", 2853.0, "次"], ["新增就业200人", 200.0, "人"]]


def test_add_pipe_by_name_after_pip_install(tmp_path):
    """A real ``pip install`` of this checkout into a folder of its own; hatchling, the build backend,
    comes from the package index."""
    target = tmp_path / "installed"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                           "--disable-pip-version-check", "--target", str(target), str(ROOT)],
                          capture_output=True, timeout=600, cwd=tmp_path)
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace")
        if any(s in err for s in ("hatchling", "No matching distribution", "Could not find a version",
                                  "NewConnectionError", "Temporary failure in name resolution")):
            pytest.skip(f"the project cannot be built here (no package index for its build backend): "
                        f"{err.strip().splitlines()[-1]}")
        pytest.fail(err)
    entry_points = next(target.glob("extractor-*.dist-info")) / "entry_points.txt"
    assert "[spacy_factories]" in entry_points.read_text(encoding="utf-8")
    out = _check_in_fresh_process([target], tmp_path)
    assert Path(out["module"]).resolve() == (target / "extractor" / "__init__.py").resolve()
    assert out["indicators"][:2] == [["走访群众2853次", 2853.0, "次"], ["新增就业200人", 200.0, "人"]]
