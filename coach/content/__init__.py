"""Content as data: targets, the five-step flow and its prompts, exercises, safety and check-in.

Everything is read from TOML files shipped in this package and validated on load. The package
has two parts: coach.content.content_model (the dataclasses and constants) and coach.content.loader
(reading and checking the files). Everything is re-exported here, so code imports from
coach.content. Pure: no Typer, Rich or questionary here.
"""

from __future__ import annotations

from coach.content.checks import citation_problems as citation_problems
from coach.content.checks import labelled_texts as labelled_texts
from coach.content.content_model import CONFLICT_STEP as CONFLICT_STEP
from coach.content.content_model import EVIDENCE_LABELS as EVIDENCE_LABELS
from coach.content.content_model import PARTNERS as PARTNERS
from coach.content.content_model import PROMPT_ID as PROMPT_ID
from coach.content.content_model import PROMPT_TYPES as PROMPT_TYPES
from coach.content.content_model import STEP_IDS as STEP_IDS
from coach.content.content_model import AnswerValue as AnswerValue
from coach.content.content_model import Checkin as Checkin
from coach.content.content_model import CheckinItem as CheckinItem
from coach.content.content_model import Choice as Choice
from coach.content.content_model import Content as Content
from coach.content.content_model import Exercise as Exercise
from coach.content.content_model import Partner as Partner
from coach.content.content_model import Prompt as Prompt
from coach.content.content_model import PromptType as PromptType
from coach.content.content_model import Safety as Safety
from coach.content.content_model import ScreenQuestion as ScreenQuestion
from coach.content.content_model import Step as Step
from coach.content.content_model import Target as Target
from coach.content.content_model import fill_names as fill_names
from coach.content.loader import load_content as load_content
from coach.content.loader import parse_toml as parse_toml

# Re-exported: most code names the targets, and the text limit, from here.
from coach.domain.targets import CHEMICALS as CHEMICALS
from coach.domain.targets import REGIONS as REGIONS
from coach.domain.targets import TARGETS as TARGETS
from coach.domain.validity import MAX_TEXT_LENGTH as MAX_TEXT_LENGTH
