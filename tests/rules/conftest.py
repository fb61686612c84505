"""Fixtures for the rule engine tests: content, the default pack, answer sets, small packs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from coach.content import AnswerValue, Content, Prompt
from coach.rules import RulePack, load_pack
from coach.rules.pack import compile_pack_text

PACK_HEADER = 'id = "test"\nversion = "1"\ndescription = "A pack written for one test."\n'


def secure_value(prompt: Prompt) -> AnswerValue | None:
    return prompt.secure_value()


def insecure_value(prompt: Prompt) -> AnswerValue | None:
    if prompt.type == "scale":
        return prompt.min if prompt.secure == "high" else prompt.max
    if prompt.type == "yesno":
        return prompt.secure != "yes"
    if prompt.type == "choice":
        return next(c.value for c in reversed(prompt.choices) if c.value != prompt.secure)
    return None


def answers_with(
    content: Content, pick: Callable[[Prompt], AnswerValue | None]
) -> dict[str, AnswerValue]:
    answers = {}
    for prompt in content.prompts.values():
        value = pick(prompt)
        if value is not None:
            answers[prompt.id] = value
    return answers


@pytest.fixture(scope="session")
def default_pack(content: Content) -> RulePack:
    return load_pack(None, content)


@pytest.fixture(scope="session")
def secure_answers(content: Content) -> dict[str, AnswerValue]:
    return answers_with(content, secure_value)


@pytest.fixture(scope="session")
def insecure_answers(content: Content) -> dict[str, AnswerValue]:
    return answers_with(content, insecure_value)


@pytest.fixture
def make_pack(content: Content) -> Callable[[str], RulePack]:
    """Build a pack from [[rule]] tables (the header is added); fails the test on problems."""

    def make(rules: str) -> RulePack:
        pack, problems = compile_pack_text(PACK_HEADER + rules, "test.toml", content)
        assert pack is not None, "\n".join(map(str, problems))
        return pack

    return make
