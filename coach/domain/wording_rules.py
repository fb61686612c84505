"""The wording rules of docs/science-and-wording.md, as a checker every text passes through.

Used when content loads (coach.content.loader), when a rule pack is checked (coach.rules.pack_check)
and by the tests over every shipped text. Pure.

- No causal claim about a chemical or a region: raises, lowers, calms, boosts, triggers,
  strengthens, rewires, switches off, "gives a hit of", "will ..." and the like, in any form. Such
  a verb passes only in the past tense, in a sentence that names the study that found it ("raised
  salivary oxytocin in one small study (Holt-Lunstad et al. 2008)"). "Associated with", "linked
  to", "may support" and "the coach reads this as" pass.
- Nothing "proves"; no measurement ("your oxytocin is high"); mirror neurons only as debated.
"""

from __future__ import annotations

import re
from typing import Final

from coach.domain.evidence import cited
from coach.domain.targets import CHEMICALS, REGIONS, words

# --- wording -----------------------------------------------------------------------------------

# Causal verbs, as (base, third person, past, -ing). About a chemical or a region, any form but
# the past is refused; the past passes only in a sentence that names the study that found it.
_VERBS: Final = (
    ("raise", "raises", "raised", "raising"),
    ("lower", "lowers", "lowered", "lowering"),
    ("increase", "increases", "increased", "increasing"),
    ("decrease", "decreases", "decreased", "decreasing"),
    ("reduce", "reduces", "reduced", "reducing"),
    ("boost", "boosts", "boosted", "boosting"),
    ("release", "releases", "released", "releasing"),
    ("flood", "floods", "flooded", "flooding"),
    ("calm", "calms", "calmed", "calming"),
    ("quiet", "quiets", "quieted", "quieting"),
    ("quieten", "quietens", "quietened", "quietening"),
    ("soothe", "soothes", "soothed", "soothing"),
    ("produce", "produces", "produced", "producing"),
    ("trigger", "triggers", "triggered", "triggering"),
    ("cause", "causes", "caused", "causing"),
    ("strengthen", "strengthens", "strengthened", "strengthening"),
    ("weaken", "weakens", "weakened", "weakening"),
    ("rewire", "rewires", "rewired", "rewiring"),
    ("activate", "activates", "activated", "activating"),
    ("deactivate", "deactivates", "deactivated", "deactivating"),
    ("enhance", "enhances", "enhanced", "enhancing"),
    ("elevate", "elevates", "elevated", "elevating"),
    ("stimulate", "stimulates", "stimulated", "stimulating"),
    ("suppress", "suppresses", "suppressed", "suppressing"),
    ("dampen", "dampens", "dampened", "dampening"),
    ("spike", "spikes", "spiked", "spiking"),
    ("regulate", "regulates", "regulated", "regulating"),
    ("downregulate", "downregulates", "downregulated", "downregulating"),
    ("upregulate", "upregulates", "upregulated", "upregulating"),
    ("fire", "fires", "fired", "firing"),
    ("switch off", "switches off", "switched off", "switching off"),
    ("shut down", "shuts down", "shut down", "shutting down"),
    ("turn off", "turns off", "turned off", "turning off"),
    ("turn on", "turns on", "turned on", "turning on"),
    ("light up", "lights up", "lit up", "lighting up"),
    ("rise", "rises", "rose", "rising"),
    ("drop", "drops", "dropped", "dropping"),
    ("fall", "falls", "fell", "falling"),
    ("surge", "surges", "surged", "surging"),
    ("soar", "soars", "soared", "soaring"),
    ("flow", "flows", "flowed", "flowing"),
    ("promote", "promotes", "promoted", "promoting"),
    ("fuel", "fuels", "fuelled", "fuelling"),
    ("drive", "drives", "drove", "driving"),
    ("spark", "sparks", "sparked", "sparking"),
    ("unleash", "unleashes", "unleashed", "unleashing"),
    ("inhibit", "inhibits", "inhibited", "inhibiting"),
    ("heal", "heals", "healed", "healing"),
    ("make", "makes", "made", "making"),
)
_FORMS: Final = {form: n for forms in _VERBS for n, form in enumerate(forms)}
_BASE, _THIRD, _PAST, _ING = 0, 1, 2, 3
# Words, with a following particle ("switches off"), looked up in _FORMS: one small pattern
# instead of an alternation of every form, which is slow to compile.
_WORD_RE: Final = re.compile(r"[A-Za-z]+(?:\s+(?:off|down|up|on)\b)?")


def _verbs(clause: str) -> list[tuple[str, int, int]]:
    """(the verb form as written, start, end) for each causal verb form in a clause."""
    found = []
    for match in _WORD_RE.finditer(clause):
        word = match.group()
        if word.lower() in _FORMS:
            found.append((word, match.start(), match.end()))
            continue
        first = word.split()[0]
        if first.lower() in _FORMS:
            found.append((first, match.start(), match.start() + len(first)))
    return found


# Words before a base form that make it a verb ("will raise", "helps calm", "you boost").
_BEFORE_BASE: Final = re.compile(
    r"\b(will|would|can|could|may|might|must|should|shall|does|do|did|to|help|helps|helped"
    r"|you|we|they|i|partners|couples)\s+$",
    re.IGNORECASE,
)
# Base forms that are also adjectives ("lower amygdala activity", "a calm voice") are verbs only
# when an object follows.
_ADJECTIVES: Final = frozenset({"lower", "calm", "quiet"})
_OBJECT_AFTER: Final = re.compile(r"^\s+(the|your|their|his|her|its|a|an|each|both|our)\b", re.I)
# Before a past form: a present passive or a perfect is not the past of a study.
_NOT_PAST_BEFORE: Final = re.compile(
    r"\b(is|are|be|been|being|gets|get|getting|has|have)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)


def _alternation(target_ids: tuple[str, ...]) -> str:
    """The targets as a text names them, singular or plural: "endorphins?|prefrontal cortex"."""
    names = (words(t) for t in target_ids)
    return "|".join(
        re.escape(n[:-1]) + "s?" if n.endswith("s") and not n.endswith("us") else re.escape(n)
        for n in names
    )


# The chemicals and the regions of targets.toml as the patterns name them; a region, a hormone
# or the brain is added where it fits.
_CHEMICALS: Final = _alternation(CHEMICALS)
_REGIONS: Final = _alternation(REGIONS)
_HIT_OF: Final = re.compile(
    r"\b(?:gives?|giving|gave|get|gets|got)\s+(?:\w+\s+){0,3}?an?\s+(?:hit|rush|surge|dose|shot)"
    rf"\s+of\b|\b(?:hit|rush|surge|flood|dose)\s+of\s+(?:{_CHEMICALS}|hormones?|chemicals?)\b",
    re.IGNORECASE,
)
_WILL: Final = re.compile(r"\b(will|won't|is going to|are going to)\s+\w+", re.IGNORECASE)
_PROVE: Final = re.compile(r"\bprov(?:es?|ed|en|ing)\b", re.IGNORECASE)
_TARGET_WORDS: Final = rf"{_CHEMICALS}|{_REGIONS}|brain"
# A sentence about a chemical or a region (or the brain, its systems and hormones).
SCIENCE: Final = re.compile(
    rf"\b({_CHEMICALS}|{_REGIONS}|opioids?|cortisol|hormones?"
    r"|neurochemicals?|chemicals?|cortex|hypothalamus|thalamus"
    r"|brain|neural|neurons?|limbic|circuits?|threat (?:responses?|systems?)|nervous system"
    r"|reward system|stress markers?|neuroplasticity|neurotransmitters?|synapses?|rewir\w*)\b",
    re.IGNORECASE,
)
MEASURING: Final = re.compile(rf"\byour ({_TARGET_WORDS})(?:'s)? (is|are|was|levels?)\b", re.I)
MIRROR: Final = re.compile(r"\bmirror[- ]neurons?\b", re.IGNORECASE)
# A sentence that mentions mirror neurons must say the account is debated.
_HEDGES: Final = re.compile(r"\b(debat\w*|contested|disputed|not (?:an )?established)\b", re.I)
# Sentence ends, not counting "et al." or "e.g." and friends.
_SENTENCE_END: Final = re.compile(
    r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bcf)(?<!\bDr)[.!?](?=\s+[\"'(A-Z0-9]|\s*$)"
)


def sentences(text: str) -> list[str]:
    """The sentences of a text ("et al." does not end one)."""
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        found.append(text[start : match.end()].strip())
        start = match.end()
    if text[start:].strip():
        found.append(text[start:].strip())
    return [s for s in found if s]


_CLAUSE: Final = re.compile(
    r"[,;:\u2014\u2013]|\s(?:and|but|so|while|whereas|which|because|though|although)\s",
    re.IGNORECASE,
)


# A causal claim reported as someone's claim, in a sentence that says it failed, is a caveat.
_ATTRIBUTED: Final = re.compile(r"\b(?:claim|idea|belief|story|myth)s?\s+that\b", re.I)
_REFUTED: Final = re.compile(
    r"\b(?:did not|does not|failed to|has not|have not) (?:replicate|hold|stand)\b"
    r"|\bnot replicated\b|\bdebated\b|\bcontested\b|\bmyth\b|\bunsupported\b",
    re.IGNORECASE,
)


def causal_problems(sentence: str) -> list[str]:
    """Causal claims about a chemical or a region in one sentence (empty when it has none): a
    causal verb in the same clause as a chemical, a region or the brain."""
    names_study = bool(cited(sentence))
    if _ATTRIBUTED.search(sentence) and _REFUTED.search(sentence):
        return []  # "the claim that oxytocin makes people trust did not replicate"
    problems: list[str] = []
    for clause in _CLAUSE.split(sentence):
        if SCIENCE.search(clause):
            problems += _clause_problems(clause, names_study)
    return problems


# A chemical's or a region's levels right before a base form are its subject: "oxytocin levels
# rise" ("oxytocin release" is a noun).
_SUBJECT_BEFORE: Final = re.compile(
    rf"\b(?:{_CHEMICALS}|{_REGIONS}|opioids?|cortisol|hormones?"
    r"|chemicals?|cortex|brains?|neurons?|circuits?)"
    r"(?:'s)?\s+(?:levels|responses|systems)\s+$",
    re.IGNORECASE,
)


def _base_is_verb(word: str, before: str, after: str) -> bool:
    """A base form is a verb after "will", "to", "helps", "you" and the like, at the start of a
    clause, after a chemical or a region ("oxytocin levels rise"), or before its object ("hugs
    release oxytocin", "lower your cortisol"); "lower",
    "calm" and "quiet" are also adjectives ("lower amygdala activity"), so they need an object
    that starts with "the", "your" and the like."""
    adjective = word.lower() in _ADJECTIVES
    if not before.strip() or _BEFORE_BASE.search(before):
        return not adjective or bool(_OBJECT_AFTER.match(after))
    if _OBJECT_AFTER.match(after) or _SUBJECT_BEFORE.search(before):
        return True
    return not adjective and bool(SCIENCE.match(after.lstrip()))


def _clause_problems(clause: str, names_study: bool) -> list[str]:
    problems: list[str] = []
    for word, start, end in _verbs(clause):
        form = _FORMS[" ".join(word.lower().split())]
        before, after = clause[:start], clause[end:]
        if form == _BASE and not _base_is_verb(word, before, after):
            continue
        if form == _THIRD and re.match(r"^\s+in\b", after):  # "increases in oxytocin": a noun
            continue
        if form == _PAST and names_study and not _NOT_PAST_BEFORE.search(before):
            continue
        past = " (the past tense passes only beside the study that found it)"
        problems.append(
            f'uses "{word}", a causal claim about a chemical or a region'
            f'{past if form == _PAST else ""}; say "associated with", "linked to",'
            ' "may support" or "the coach reads this as"'
        )
    for match in _HIT_OF.finditer(clause):
        problems.append(
            f'says "{match.group()}", a causal claim about a chemical; say "associated with"'
        )
    for match in _WILL.finditer(clause):
        problems.append(
            f'says "{match.group()}", a prediction about a chemical or a region; say "may'
            ' support" or "is linked to"'
        )
    return problems


def wording_problems(text: str) -> list[str]:
    """Each way a text breaks the wording rules, as short messages (empty when it is fine)."""
    problems: list[str] = []
    for match in _PROVE.finditer(text):
        problems.append(f'uses "{match.group()}"; studies are linked to findings, never proof')
    for sentence in sentences(text):
        problems += causal_problems(sentence)
    for match in MEASURING.finditer(text):
        problems.append(
            f'says "{match.group()}", a measurement; the coach only infers patterns from answers'
        )
    for sentence in sentences(text):
        if MIRROR.search(sentence) and not _HEDGES.search(sentence):
            problems.append(
                "states the mirror-neuron account as fact; say it is debated (Contested), or"
                " name the empathy-related regions (insula, anterior cingulate cortex)"
            )
    return problems
