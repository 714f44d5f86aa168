"""Speakers of a chat transcript: once one speaker is found to be a person, the others who talk are too."""

from __future__ import annotations

from processors.pii.name_parts import chat_speakers


def _speakers(text: str, found: str) -> list[str]:
    at = text.index(found)
    return [text[a:b] for a, b in chat_speakers(text, [(at, at + len(found))])]


def test_the_other_speaker_of_a_chat_with_a_found_name_is_a_name() -> None:
    text = "Pascal: did you get my mail?\nSarah: which address did you use?\nPascal: the old one"
    assert _speakers(text, "Sarah") == ["Pascal", "Pascal"]


def test_timestamps_before_speakers_are_allowed() -> None:
    text = "[10:31] Aria: hi\n[10:32] Tom Baker: hello\n[10:33] Aria: my order is late"
    assert _speakers(text, "Tom Baker") == ["Aria", "Aria"]


def test_roles_fields_and_one_off_labels_are_no_speakers() -> None:
    chat = "Agent: hello\nSarah: hi\nAgent: how can I help?\nSarah: my card\nCustomer Support: noted\n"
    assert _speakers(chat, "Sarah") == []
    form = "Name: Sarah Lee\nPhone: 555 0100\nEmail: s@example.com\nNote: call back"
    assert _speakers(form, "Sarah Lee") == []


def test_no_found_speaker_no_names() -> None:
    text = "Pascal: did you get my mail?\nBot: which address?\nPascal: the old one"
    assert chat_speakers(text, []) == []


def test_the_stage_redacts_both_speakers(redacted) -> None:  # type: ignore[no-untyped-def]
    found = redacted("Pascal: did you get my mail?\nSarah: which address did you use?\nPascal: the old one")
    assert found.count("Pascal") == 2 and "Sarah" in found
