"""Content as data: targets, the five-step flow and its prompts, exercises, safety and check-in.

Everything is read from TOML files shipped in this package and validated on load. The package
has two parts: coach.content.model (the dataclasses and constants) and coach.content.loader
(reading and checking the files). Everything is re-exported here, so code imports from
coach.content. Pure: no Typer, Rich or questionary here.
"""

from __future__ import annotations

from coach.content.checks import citation_problems as citation_problems
from coach.content.checks import labelled_texts as labelled_texts
from coach.content.loader import load_content as load_content
from coach.content.loader import parse_toml as parse_toml
from coach.content.model import CONFLICT_STEP as CONFLICT_STEP
from coach.content.model import EVIDENCE_LABELS as EVIDENCE_LABELS
from coach.content.model import PARTNERS as PARTNERS
from coach.content.model import PROMPT_ID as PROMPT_ID
from coach.content.model import PROMPT_TYPES as PROMPT_TYPES
from coach.content.model import STEP_IDS as STEP_IDS
from coach.content.model import AnswerValue as AnswerValue
from coach.content.model import Checkin as Checkin
from coach.content.model import CheckinItem as CheckinItem
from coach.content.model import Choice as Choice
from coach.content.model import Content as Content
from coach.content.model import Exercise as Exercise
from coach.content.model import Partner as Partner
from coach.content.model import Prompt as Prompt
from coach.content.model import PromptType as PromptType
from coach.content.model import Safety as Safety
from coach.content.model import ScreenQuestion as ScreenQuestion
from coach.content.model import Step as Step
from coach.content.model import Target as Target
from coach.content.model import fill_names as fill_names

# Re-exported: most code names the targets, and the text limit, from here.
from coach.targets import CHEMICALS as CHEMICALS
from coach.targets import REGIONS as REGIONS
from coach.targets import TARGETS as TARGETS
from coach.validity import MAX_TEXT_LENGTH as MAX_TEXT_LENGTH
