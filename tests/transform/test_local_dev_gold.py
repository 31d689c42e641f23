"""The local development gold (tests/transform/gold/local_dev): labels without copied text.

The texts are third-party pages a developer rebuilds into an ignored folder; what the repository
holds must be enough to rebuild the gold from them, and must hold none of their text.
"""

import json
import re
from pathlib import Path

import pytest

from transform.documents import read_document
from transform.evaluate import evaluate, parse_gold
from transform.facts import extract_facts

HERE = Path(__file__).parent / "gold" / "local_dev"
LABELS = [json.loads(x) for x in (HERE / "labels.jsonl").read_text("utf-8").splitlines() if x]
DOCUMENTS = [json.loads(x) for x in (HERE / "documents.jsonl").read_text("utf-8").splitlines()]
# floors on the rebuilt gold; raise them as extraction improves, never lower them on the same
# texts. The first is on the 82 texts the floor was first set on (D01-D72, H01-H10); the second
# on every text, the held-out batches added since (H11 on, harder: see the gold's README)
DEV_F1_FLOOR = 0.95
ALL_F1_FLOOR = 0.94
FIRST_TEXTS = re.compile(r"^(?:D\d+|H(?:0\d|10))\.txt$")


def test_the_dev_gold_is_large_and_covers_every_level():
    assert len(DOCUMENTS) >= 80 and len(LABELS) >= 800
    assert {d["level"] for d in DOCUMENTS} >= {"county", "district", "prefecture", "zone"}
    ids = {d["id"] for d in DOCUMENTS}
    assert {label["document"] for label in LABELS} <= ids
    assert all(re.fullmatch(r"[0-9a-f]{64}", d["sha256"]) for d in DOCUMENTS)


def test_labels_hold_offsets_and_contract_values_not_text():
    long_han = re.compile(r"[\u4e00-\u9fff]{13,}")
    for label in LABELS:
        start, end = label["span"]
        assert 0 <= start < end and end - start <= 20
        assert "sentence" not in label and "anchor" not in label and "indicator_text" not in label
        for key, value in label.items():
            if isinstance(value, str) and key not in ("note",):
                assert not long_han.search(value), (key, value)


def test_the_builder_rebuilds_sentences_from_a_text(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("labels_tool", HERE / "labels.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = "一、2023年工作回顾\n全县地区生产总值增长7%；财政收入增长5%。"
    assert tool.sentence_around(text, text.index("7"), text.index("7") + 1) == (12, 25)
    assert text[12:25] == "全县地区生产总值增长7%；"
    assert tool.locate(text, "增长", 2) == text.index("增长5")
    with pytest.raises(ValueError):
        tool.locate(text, "增长9%")


@pytest.mark.skipif(
    not (HERE / "gold.jsonl").exists(),
    reason="dev texts not rebuilt here (see tests/transform/gold/local_dev/README.md)",
)
def test_dev_gold_floor():
    lines = (HERE / "gold.jsonl").read_text("utf-8").splitlines()
    gold = parse_gold(lines)
    first = parse_gold([x for x in lines if FIRST_TEXTS.match(json.loads(x)["document"])])

    def predict(document, region_hint):
        doc = read_document(
            (HERE / "texts" / document).read_bytes(),
            name=document,
            fallback_region=region_hint,
            fallback_date=gold.hint(document, "publish_date"),
        )
        return [f.as_dict() for f in extract_facts(doc)]

    assert evaluate(first, predict).strict.f1 >= DEV_F1_FLOOR
    assert evaluate(gold, predict).strict.f1 >= ALL_F1_FLOOR
