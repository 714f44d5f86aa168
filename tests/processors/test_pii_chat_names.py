"""Names that a chat transcript's layout gives away."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processors.pii.name_parts import chat_names


def _english(word: str) -> bool:
    return word.casefold() in {"meeting", "lunch", "room", "pizza", "account", "owner", "standup", "windows", "forgot",
                               "password"}


def found(text: str) -> list[str]:
    return [text[a:b] for a, b in chat_names(text, _english)]


@pytest.mark.parametrize(("text", "name"), [
    ("[08:09] Visitor: hi\n[08:10] Mare (Support): Hello!\n[08:11] Mare (Support): Which order?", "Mare"),
    ("adedeji [18:10]\nthat's the office NAT in Boston", "adedeji"),
    ("Jinthe Geneart 17:25:27\ncan you check why", "Jinthe Geneart"),
    ("[11:06:13] Agent: Who am I speaking with?\n[11:07:16] Customer: Chase\n", "Chase"),
    ("Agent: What's your name?\nCustomer: it's Priya Raman.", "Priya Raman"),
])
def test_speakers_and_answers_are_names(text: str, name: str) -> None:
    assert set(found(text)) == {name}


@pytest.mark.parametrize("text", [
    "Meeting 10:30\nRoom B",                                       # English words before a time
    "Standup [09:15]\nnotes below",
    "Agent: Who am I speaking with?\nCustomer: the account owner",  # no name in the answer
    "Status (Open): new",                                          # a field with a value in brackets
    "Visitor (Guest): hi",                                         # a role with a role
    "Windows (Admin): reboot required.",                           # a word with a role, once
    "What's your name?\nCustomer: Forgot password",                # no name in the answer
])
def test_times_fields_and_roles_are_no_names(text: str) -> None:
    assert found(text) == []


def test_the_stage_takes_a_chat_speaker_without_any_other_name(redacted: Callable[[str], list[str]]) -> None:
    text = "[08:09] Visitor: hi\n[08:10] Mare (Support): Hello! How can I help?\n[08:12] Mare (Support): Order number?"
    assert "Mare" in redacted(text)  # "Mare" is an English word: a role speaker who talks twice
