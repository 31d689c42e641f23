"""Score extracted facts against a gold file: precision, recall and F1, per indicator and per field.

Gold file: JSON lines. A fact line has `document` (a path relative to the documents folder) and
the docs/facts.md fields. A line with `document` and no `indicator` describes the document:
`region_hint` and `publish_date` (what a crawler would know of it: its source's region, the date
its listing gave) and any labels to group scores by (`level`, `genre`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# A fact is right when all of these agree; the key decides which facts are compared at all.
KEY_FIELDS = ("indicator", "measure", "value")
STRICT_FIELDS = ("indicator", "measure", "value", "value_high", "unit", "qualifier", "kind", "year")
SCORED_FIELDS = ("value_high", "unit", "qualifier", "kind", "year", "region")
# document labels the report breaks scores down by, when the gold gives them
GROUPINGS = ("level", "genre")


@dataclass(frozen=True)
class GoldSet:
    facts: dict[str, list[dict]]  # by document
    region_hints: dict[str, str]
    documents: dict[str, dict] = field(default_factory=dict)  # each document's description line

    def hint(self, document: str, name: str) -> str | None:
        return self.documents.get(document, {}).get(name)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Evaluation:
    strict: Score = field(default_factory=Score)
    key: Score = field(default_factory=Score)
    per_indicator: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    field_agree: Counter[str] = field(default_factory=Counter)
    field_total: int = 0
    misses: list[dict] = field(default_factory=list)
    false_hits: list[dict] = field(default_factory=list)
    # strict scores per document label: {"level": {"county": Score, ...}, "genre": {...}}
    per_group: dict[str, dict[str, Score]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "strict": self.strict.as_dict(),
            "key": self.key.as_dict(),
            "per_group": {
                g: {k: v.as_dict() for k, v in sorted(scores.items())}
                for g, scores in self.per_group.items()
            },
            "per_indicator": {k: v.as_dict() for k, v in sorted(self.per_indicator.items())},
            "field_accuracy": {
                f: round(self.field_agree[f] / self.field_total, 4) if self.field_total else None
                for f in SCORED_FIELDS
            },
            "misses": self.misses,
            "false_hits": self.false_hits,
        }


class GoldFileError(ValueError):
    pass


def parse_gold(lines: Iterable[str], origin: str = "gold") -> GoldSet:
    facts: dict[str, list[dict]] = defaultdict(list)
    hints: dict[str, str] = {}
    documents: dict[str, dict] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFileError(f"{origin}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "document" not in row:
            raise GoldFileError(f"{origin}:{n}: a line needs a 'document' field")
        if "indicator" not in row:
            documents[row["document"]] = row
            if "region_hint" in row:
                hints[row["document"]] = row["region_hint"]
            continue
        missing = [f for f in STRICT_FIELDS if f not in row]
        if missing:
            raise GoldFileError(f"{origin}:{n}: missing field(s) {', '.join(missing)}")
        facts[row["document"]].append(row)
    return GoldSet(dict(facts), hints, documents)


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))
    return a == b


def _agree(gold: dict, pred: dict, fields: tuple[str, ...]) -> bool:
    return all(_same(gold.get(f), pred.get(f)) for f in fields)


def _brief(doc: str, fact: dict) -> dict:
    return {"document": doc, **{f: fact.get(f) for f in (*STRICT_FIELDS, "sentence")}}


def evaluate(gold: GoldSet, predict: Callable[[str, str | None], list[dict]]) -> Evaluation:
    """`predict(document, region_hint)` returns the extracted facts of a gold document as dicts."""
    ev = Evaluation()
    for doc, gold_facts in sorted(gold.facts.items()):
        preds = predict(doc, gold.region_hints.get(doc))
        before = (ev.strict.tp, ev.strict.fp, ev.strict.fn)
        unmatched = list(range(len(preds)))
        # strict matches first, then facts that share only the key
        pairs: list[tuple[dict, dict | None]] = []
        pending = []

        def nearest(g: dict, candidates: list[int], preds: list[dict] = preds) -> list[int]:
            # the same sentence first: a report may state one fact twice
            same = [i for i in candidates if preds[i].get("char_start") == g.get("char_start")]
            return same + [i for i in candidates if i not in same]

        for g in gold_facts:
            hit = next(
                (i for i in nearest(g, unmatched) if _agree(g, preds[i], STRICT_FIELDS)), None
            )
            if hit is None:
                pending.append(g)
            else:
                unmatched.remove(hit)
                pairs.append((g, preds[hit]))
        for g in pending:
            hit = next((i for i in nearest(g, unmatched) if _agree(g, preds[i], KEY_FIELDS)), None)
            if hit is not None:
                unmatched.remove(hit)
            pairs.append((g, preds[hit] if hit is not None else None))
        for g, p in pairs:
            score = ev.per_indicator[g["indicator"]]
            if p is None:
                ev.key.fn += 1
                ev.strict.fn += 1
                score.fn += 1
                ev.misses.append(_brief(doc, g))
                continue
            ev.key.tp += 1
            ev.field_total += 1
            for f in SCORED_FIELDS:
                ev.field_agree[f] += _same(g.get(f), p.get(f))
            if _agree(g, p, STRICT_FIELDS):
                ev.strict.tp += 1
                score.tp += 1
            else:
                ev.strict.fn += 1
                ev.strict.fp += 1
                score.fn += 1
                ev.per_indicator[p["indicator"]].fp += 1
                ev.misses.append(_brief(doc, g))
                ev.false_hits.append(_brief(doc, p))
        for i in unmatched:
            ev.key.fp += 1
            ev.strict.fp += 1
            ev.per_indicator[preds[i]["indicator"]].fp += 1
            ev.false_hits.append(_brief(doc, preds[i]))
        for grouping in GROUPINGS:
            label = gold.hint(doc, grouping)
            if label is None:
                continue
            score = ev.per_group.setdefault(grouping, {}).setdefault(label, Score())
            score.tp += ev.strict.tp - before[0]
            score.fp += ev.strict.fp - before[1]
            score.fn += ev.strict.fn - before[2]
    return ev


def format_report(ev: Evaluation) -> str:
    lines = [f"{'':<30}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]

    def row(name: str, s: Score) -> str:
        return (
            f"{name:<30}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
        )

    lines += [row("all fields (strict)", ev.strict), row("indicator+measure+value", ev.key), ""]
    for grouping, scores in ev.per_group.items():
        lines += [row(f"{grouping} {label}", s) for label, s in sorted(scores.items())] + [""]
    lines += [row(name, s) for name, s in sorted(ev.per_indicator.items())]
    lines.append("")
    lines.append(
        "field accuracy on facts found: "
        + ", ".join(f"{f} {ev.field_agree[f] / ev.field_total:.3f}" for f in SCORED_FIELDS)
        if ev.field_total
        else ""
    )

    def fact_line(f: dict) -> str:
        return (
            f"  {f['document']}: {f['indicator']} {f['measure']} {f['value']:g} "
            f"high={f['value_high']} {f['unit']} {f['qualifier']} {f['kind']} {f['year']} | "
            f"{(f.get('sentence') or '')[:60]}"
        )

    if ev.misses:
        lines += ["", f"misses ({len(ev.misses)}):"] + [fact_line(f) for f in ev.misses]
    if ev.false_hits:
        lines += ["", f"false hits ({len(ev.false_hits)}):"] + [fact_line(f) for f in ev.false_hits]
    return "\n".join(lines)
