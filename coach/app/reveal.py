"""Two terminals (issue 22): the finished session both terminals build from the two packets,
alike on either side, and the checks a packet's answers must pass first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.base.errors import DataError
from coach.domain import room_docs as doc
from coach.domain.session import Session

if TYPE_CHECKING:
    from coach.content import Content
    from coach.rules import Inference, RulePack


def check_answers(packet: doc.Packet, content: Content, where: str) -> None:
    for answer in packet.answers:
        prompt = content.prompts.get(answer.prompt_id)
        if prompt is None or prompt.partner != packet.partner:
            raise DataError(f"{where}: answers a question that is not its partner's; not used")
        if prompt.check_value(answer.value) is not None:
            raise DataError(f"{where}: {answer.prompt_id} has a value it cannot have; not used")


def session_from_setup(setup: doc.Setup) -> Session:
    return Session(
        id=setup.session_id,
        created=setup.created,
        partners=dict(setup.names),
        mode="private",
        couple=setup.couple,
        steps=list(setup.steps),
        checkin={"a": {}, "b": {}} if setup.checkin else {},
    )


def session_text(session: Session) -> str:
    from coach.store.format import session_to_text

    return session_to_text(session)


def assemble(
    setup: doc.Setup, packets: list[doc.Packet], content: Content, pack: RulePack
) -> tuple[Session, Inference]:
    """The same finished session from the same two packets, on either terminal: answers in
    the order a session asks them, finished at the later sealing (no clock decides anything)."""
    from coach.domain.finish import finish_session
    from coach.domain.session import Answer

    session = session_from_setup(setup)
    session.checkin = {}
    if any(p.plan == "short" for p in packets):
        session.make_short()
    order = {prompt_id: n for n, prompt_id in enumerate(content.prompts)}
    answers = [(a, p.partner) for p in packets for a in p.answers]
    answers.sort(key=lambda pair: order[pair[0].prompt_id])
    kept = {prompt.id for step in session.steps for prompt in content.step(step).prompts_in_order()}
    session.answers = [
        Answer(a.prompt_id, content.prompts[a.prompt_id].partner, a.value, a.time)
        for a, _ in answers
        if a.prompt_id in kept
    ]
    skipped = {s for p in packets for s in p.skipped if s in kept and s in order}
    session.skipped = sorted(skipped, key=order.__getitem__)
    if all(p.checkin_shared for p in packets):
        session.checkin = {p.partner: dict(p.checkin) for p in packets}
        session.checkin_shared = {p.partner: True for p in packets}
    inference = finish_session(session, content, pack)
    session.finished = max([setup.created, *(p.sealed for p in packets)])
    return session, inference
