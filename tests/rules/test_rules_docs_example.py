"""The worked example in docs/rules.md is a real, valid pack that gives the numbers shown."""

from __future__ import annotations

import re
from pathlib import Path

from coach.content import Content
from coach.rules import infer
from coach.rules.pack import compile_pack_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def example_pack_text() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    header = next(b for b in blocks if b.startswith('id = "couples-clinic"'))
    more = next(b for b in blocks if 'id = "calm_after_warmth"' in b)
    return header + more


def test_the_worked_example_checks_and_gives_the_documented_results(content: Content) -> None:
    pack, problems = compile_pack_text(example_pack_text(), "couples.toml", content)
    assert pack is not None, problems
    result = infer(
        pack, {"s1.a.greeted_warmly": 5, "s1.b.turned_toward": "toward", "s3.a.escalated": 1}
    )
    assert result.fired == ("warm_welcome", "calm_after_warmth")
    assert (result.a["oxytocin"].score, result.b["oxytocin"].score) == (0.197, 0.38)
    assert result.couple["oxytocin"].score == 0.288
    assert result.couple["amygdala"].score == 0.291
    assert result.couple["amygdala"].label == "likely calmer"
    confidences = [
        result.couple[t].confidence for t in ("oxytocin", "amygdala", "prefrontal_cortex")
    ]
    assert confidences == [1.0, 0.75, 0.5]
