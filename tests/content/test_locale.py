"""The seam for a second language (docs/translating.md): a translation is data files laid over
the English ones by key, English is the fallback for every key it leaves out, and the loader's
checks read the translated text. tests/data/locale/xx is a test-only translation of one prompt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from coach_process import invoke

from coach.base.errors import DataError
from coach.base.locale import languages, overlay
from coach.content import load_content
from coach.content.check_files import load_check

LOCALES = Path(__file__).resolve().parents[1] / "data" / "locale"


@pytest.fixture
def fresh() -> Iterator[None]:
    """The content loaded again for this test's language, and again after it."""
    load_content.cache_clear()
    load_check.cache_clear()
    yield
    load_content.cache_clear()
    load_check.cache_clear()


def use(monkeypatch: pytest.MonkeyPatch, language: str, path: Path = LOCALES) -> None:
    monkeypatch.setenv("COACH_LOCALE_PATH", str(path))
    monkeypatch.setenv("COACH_LANG", language)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"COACH_LANG": "de", "LC_ALL": "fr_FR.UTF-8", "LANG": "es_ES.UTF-8"}, ("de",)),
        ({"LC_ALL": "pt_BR.UTF-8", "LC_MESSAGES": "fr_FR", "LANG": "es_ES"}, ("pt_BR", "pt")),
        ({"LC_MESSAGES": "fr_CA", "LANG": "es_ES"}, ("fr_CA", "fr")),
        ({"LANG": "de_AT.UTF-8@euro"}, ("de_AT", "de")),
        ({"LANG": "C.UTF-8"}, ()),
        ({"LANG": "POSIX"}, ()),
        ({"LANG": "en_GB.UTF-8"}, ()),
        ({"COACH_LANG": "en", "LANG": "de_DE"}, ()),
        ({"COACH_LANG": "", "LANG": "nl-NL"}, ("nl_NL", "nl")),
        ({}, ()),
    ],
)
def test_the_language_is_the_first_variable_set(
    environ: dict[str, str], expected: tuple[str, ...]
) -> None:
    assert languages(environ) == expected


def test_a_translation_overrides_one_prompt_and_english_fills_the_rest(
    monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    english = load_content()
    load_content.cache_clear()
    use(monkeypatch, "xx")
    translated = load_content()
    assert translated.prompts["s1.a.greeted_warmly"].text == (
        "XX: how often did you greet {b} warmly this week?"
    )
    # Every other key falls back to English: the rest of the prompt, its step, the others.
    assert (
        translated.prompts["s1.a.greeted_warmly"].high
        == english.prompts["s1.a.greeted_warmly"].high
    )
    assert translated.prompts["s1.a.moment"].text == english.prompts["s1.a.moment"].text
    assert translated.step(1).title == english.step(1).title
    assert translated.targets == english.targets
    assert [p.id for p in translated.prompts.values()] == [p.id for p in english.prompts.values()]


def test_a_region_falls_back_to_its_language(monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    """LANG=xx_YY.UTF-8 finds the xx translation when there is no xx_YY."""
    monkeypatch.setenv("COACH_LOCALE_PATH", str(LOCALES))
    monkeypatch.delenv("COACH_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "xx_YY.UTF-8")
    assert load_content().prompts["s1.a.greeted_warmly"].text.startswith("XX: ")


def test_a_language_without_a_translation_is_english(
    monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    use(monkeypatch, "zz")
    assert not load_content().prompts["s1.a.greeted_warmly"].text.startswith("XX: ")


def test_the_translated_prompt_is_what_the_couple_reads(
    monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    use(monkeypatch, "xx")
    result = invoke("template")
    assert result.code == 0, result
    assert "XX: how often did you greet " in result.stdout
    assert "Describe one recent moment when you reached out to " in result.stdout


def write_translation(folder: Path, filename: str, text: str) -> Path:
    (folder / "yy").mkdir(parents=True, exist_ok=True)
    (folder / "yy" / filename).write_text(text, encoding="utf-8")
    return folder


def test_translated_text_passes_the_wording_rules(
    monkeypatch: pytest.MonkeyPatch, fresh: None, tmp_path: Path
) -> None:
    text = '[[step]]\nid = "warm_engagement"\naim = "Show that talking proves you care."\n'
    use(monkeypatch, "yy", write_translation(tmp_path, "flow.toml", text))
    with pytest.raises(DataError, match=r'uses "proves".*\(in the yy translation; its files: '):
        load_content()


def test_translated_text_keeps_its_evidence_labels(
    monkeypatch: pytest.MonkeyPatch, fresh: None, tmp_path: Path
) -> None:
    """A sentence that names a study carries the label its claim has, translated or not."""
    text = (
        '[[step]]\nid = "warm_engagement"\n'
        'about = "Warm touch went with more oxytocin (Holt-Lunstad et al. 2008; Strong)."\n'
    )
    use(monkeypatch, "yy", write_translation(tmp_path, "flow.toml", text))
    with pytest.raises(
        DataError, match=r"conflicting labels: Strong here.*\(in the yy translation"
    ):
        load_content()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[[step]]\nid = "conflict"\nevidence = "Strong"\n',
            r"yy/flow.toml: step\[id=conflict\].evidence: a translation keeps this as in"
            r" English \('Moderate'\)",
        ),
        (
            '[[step]]\nid = "conflict"\n[[step.prompts]]\nid = "s3.a.escalated"\nsecure = "high"\n',
            r"prompts\[id=s3.a.escalated\].secure: a translation keeps this",
        ),
        (
            '[[step]]\nid = "conflict"\n[[step.prompts]]\nid = "s3.a.escalated"\nmax = 7\n',
            r"\.max: a translation changes only text; keep 5 as in English",
        ),
        (
            '[[step]]\nid = "conflict"\n[[step.prompts]]\nid = "s3.a.escalatd"\ntext = "?"\n',
            r"step\[id=conflict\].prompts\[0\].id: the English file has no 's3.a.escalatd'",
        ),
        ('[[step]]\nid = "conflict"\ntitel = "Streit"\n', r"\.titel: the English file has no such"),
        ('[[step]]\nid = "conflict"\ntitle = 3\n', r"\.title: must be text, as in English"),
    ],
)
def test_a_translation_changes_text_only(
    monkeypatch: pytest.MonkeyPatch, fresh: None, tmp_path: Path, text: str, problem: str
) -> None:
    use(monkeypatch, "yy", write_translation(tmp_path, "flow.toml", text))
    with pytest.raises(DataError, match=problem):
        load_content()


def test_the_private_check_is_translated_too(
    monkeypatch: pytest.MonkeyPatch, fresh: None, tmp_path: Path
) -> None:
    text = '[choice]\nquestion = "YY: how much today?"\n'
    use(monkeypatch, "yy", write_translation(tmp_path, "check.toml", text))
    check = load_check()
    assert check.choice.question == "YY: how much today?"
    assert check.choice.full == "The full session"


def test_arrays_without_ids_are_matched_by_position() -> None:
    english = {"line": [{"kind": "crisis", "text": "one"}, {"kind": "abuse", "text": "two"}]}
    merged = overlay(english, {"line": [{"text": "eins"}]}, where="x", keep=frozenset({"kind"}))
    assert merged == {"line": [{"kind": "crisis", "text": "eins"}, english["line"][1]]}
    with pytest.raises(DataError, match=r"x: line\[2\]: the English file has 2"):
        overlay(english, {"line": [{}, {}, {"text": "drei"}]}, where="x", keep=frozenset())
