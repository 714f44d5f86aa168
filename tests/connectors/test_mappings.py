"""Each source's mapping: fields land where they belong, unknown ones are kept, event ids are deterministic."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from connectors.common import OMITTED_KEY
from connectors.freshdesk.mapping import map_ticket as freshdesk
from connectors.jira.mapping import map_webhook as jira
from connectors.servicenow.mapping import map_record as servicenow
from connectors.zendesk.mapping import map_ticket as zendesk
from schemas import TicketEvent, format_validation_error
from schemas.events import MAX_RAW_ATTRIBUTES_BYTES


def test_zendesk_export_ticket_and_webhook_share_event_id() -> None:
    api = {"id": 7, "subject": "Hi", "description": "Body", "status": "hold", "priority": "urgent",
           "tags": ["a"], "via": {"channel": "voice"}, "created_at": "2026-11-02T08:00:00Z",
           "updated_at": "2026-11-02T09:00:00Z", "custom_fields": [{"id": 360, "value": "gold"}], "brand_id": 5}
    hook = {"id": "7", "updated_at": "2026-11-02T09:00:00Z", "status": "On-hold"}
    a, b = zendesk("acme", api), zendesk("acme", hook)
    assert a.event_id == b.event_id and a.ticket_id == "7"
    assert a.status and a.status.value == "on_hold" and a.channel.value == "phone"
    assert a.custom_fields == {"zendesk.360": "gold"} and a.raw_attributes == {"brand_id": 5}
    assert zendesk("globex", api).event_id != a.event_id


def test_jira_freshdesk_servicenow() -> None:
    j = jira("acme", {"timestamp": 1793606400000, "webhookEvent": "jira:issue_created", "issue": {
        "id": "10001", "key": "SD-4", "fields": {
            "summary": "VPN down", "labels": ["net"], "priority": {"name": "Highest"}, "status": {"name": "Open"},
            "created": "2026-11-02T08:00:00.000+0000", "updated": "2026-11-02T08:00:00.000+0000",
            "description": {"type": "doc", "content": [{"type": "paragraph", "content": [
                {"type": "text", "text": "Cannot connect"}]}]}, "customfield_10010": "IT",
            "components": [{"name": "VPN"}]}}, "user": {"accountId": "5b10", "emailAddress": "ann@example.com"}})[0]
    assert (j.ticket_id, j.body.strip(), j.tags, j.event_type.value) == ("SD-4", "Cannot connect", ["net"], "created")
    assert j.priority and j.priority.value == "urgent" and j.custom_fields["jira.customfield_10010"] == "IT"
    assert j.raw_attributes["components"] == [{"name": "VPN"}]  # nested values kept as sent
    assert j.raw_attributes["webhook.user"] == {"accountId": "5b10", "emailAddress": "ann@example.com"}

    f = freshdesk("acme", {"freshdesk_webhook": {"ticket_id": "55", "ticket_subject": "Refund",
                                                 "ticket_description": "<p>Money <b>back</b></p>",
                                                 "ticket_status": "Pending", "ticket_priority": "High",
                                                 "ticket_tags": "a,b", "ticket_updated_at": "2026-11-02T08:00:00Z",
                                                 "ticket_requester_email": "x@example.com",
                                                 "ticket_cc_emails": ["y@example.com"]}})
    assert f.body == "Money back" and f.tags == ["a", "b"] and f.status and f.status.value == "pending"
    assert f.requester and f.requester.email == "x@example.com"
    assert f.raw_attributes == {"cc_emails": ["y@example.com"]}

    s = servicenow("acme", {"sys_id": "abc123", "number": "INC0010001", "short_description": "Printer",
                            "state": "6", "priority": "2", "sys_created_on": "2026-11-02 08:00:00",
                            "sys_updated_on": "2026-11-02 09:00:00", "assignment_group": {"value": "g1", "link": "x"},
                            "u_site": "Berlin"})
    assert s.event_type.value == "solved" and s.priority and s.priority.value == "high"
    assert s.queue == "g1" and s.raw_attributes == {"u_site": "Berlin"}
    assert s.occurred_at.isoformat() == "2026-11-02T09:00:00+00:00"


def test_raw_attributes_are_bounded_and_name_what_did_not_fit() -> None:
    big = {"id": 9, "updated_at": "2026-11-02T09:00:00Z", "huge": "x" * 40_000, "small": {"a": [1, 2]}}
    e = zendesk("acme", big)
    assert e.raw_attributes["small"] == {"a": [1, 2]}
    assert "huge" not in e.raw_attributes and e.raw_attributes[OMITTED_KEY] == ["huge"]
    assert len(e.to_json_bytes()) < 40_000


def test_schema_refuses_oversized_raw_attributes_naming_the_field() -> None:
    base = zendesk("acme", {"id": 9, "updated_at": "2026-11-02T09:00:00Z"}).model_dump(mode="json")
    with pytest.raises(ValidationError) as info:
        TicketEvent.model_validate({**base, "raw_attributes": {"blob": "y" * (MAX_RAW_ATTRIBUTES_BYTES + 1)}})
    assert "raw_attributes" in format_validation_error(info.value)
    assert "above the limit" in format_validation_error(info.value)


def test_raw_attributes_survive_the_wire() -> None:
    e = zendesk("acme", {"id": 9, "updated_at": "2026-11-02T09:00:00Z", "brand": {"name": "acme-eu"}})
    assert TicketEvent.from_json_bytes(e.to_json_bytes()).raw_attributes == {"brand": {"name": "acme-eu"}}


def test_who_wrote_a_comment_intercom_zendesk_email() -> None:
    import json
    from datetime import UTC, datetime

    from connectors.email.mapping import EmailMessage, map_email
    from connectors.intercom.mapping import map_notification
    from connectors.zendesk.mapping import map_webhook
    from schemas import AuthorRole
    from tests.connectors.test_webhooks import _intercom_notification

    def intercom(topic: str, part_author: str = "admin") -> TicketEvent:
        payload = json.loads(_intercom_notification(topic, "42", 1_790_000_000))
        part = payload["data"]["item"]["conversation_parts"]["conversation_parts"][0]
        part["author"] = {"type": part_author, "id": "7"}
        return map_notification("acme", payload)[0]

    assert (intercom("conversation.admin.replied").author_role, intercom("conversation.admin.replied")
            .comment_public) == (AuthorRole.agent, True)
    assert (intercom("conversation.admin.noted").author_role, intercom("conversation.admin.noted")
            .comment_public) == (AuthorRole.agent, False)
    assert intercom("conversation.user.replied", "user").author_role is AuthorRole.requester
    assert intercom("conversation.admin.replied", "bot").author_role is AuthorRole.system  # Fin is not a person
    assert intercom("conversation.admin.assigned").author_role is None

    # Zendesk event subscription, ticket.comment_added: event.comment.author.is_staff and is_public
    subscription = {"type": "zen:event-type:ticket.comment_added", "id": "ev1", "time": "2026-12-01T10:00:00Z",
                    "detail": {"id": "35436", "created_at": "2026-12-01T09:00:00Z", "description": "printer broken"},
                    "event": {"comment": {"id": "9", "body": "We are on it.", "is_public": True,
                                          "author": {"id": "5", "is_staff": True, "name": "Agent A"}}}}
    [reply] = map_webhook("acme", subscription)
    assert (reply.event_type.value, reply.author_role, reply.comment_public) == ("comment_added", AuthorRole.agent,
                                                                                True)
    assert reply.body == "We are on it."  # the new comment, not the ticket's description
    subscription["event"]["comment"]["author"]["is_staff"] = False  # type: ignore[index]
    assert map_webhook("acme", subscription)[0].author_role is AuthorRole.requester
    del subscription["event"]
    assert map_webhook("acme", subscription)[0].author_role is None  # not said: not guessed

    # Trigger and automation bodies: the documented `event` hints, one rule per kind of comment
    trigger = {"event": "agent_replied", "ticket": {"id": "7", "updated_at": "2026-12-01T10:00:00Z"}}
    [hinted] = map_webhook("acme", trigger)
    assert (hinted.event_type.value, hinted.author_role, hinted.comment_public) == ("comment_added",
                                                                                  AuthorRole.agent, True)
    assert map_webhook("acme", {**trigger, "event": "agent_noted"})[0].comment_public is False
    plain = map_webhook("acme", {**trigger, "event": "updated"})[0]
    assert plain.author_role is None
    # the "updated" trigger fires on the same change: a different event, or the reply would look redelivered
    assert plain.event_id != hinted.event_id == map_webhook("acme", trigger)[0].event_id
    note = freshdesk("acme", {"freshdesk_webhook": {"ticket_id": "3", "ticket_updated_at": "2026-12-01T10:00:00Z",
                                                    "event": "customer_replied"}})
    assert (note.event_type.value, note.author_role, note.comment_public) == ("comment_added", AuthorRole.requester,
                                                                             True)

    # Jira Service Management comment_created: author.accountType and jsdPublic
    issue = {"id": "10001", "key": "SD-1", "fields": {"summary": "VPN", "updated": "2026-12-01T10:00:00.000+0000"}}
    def jira_comment(account: str, public: bool) -> TicketEvent:
        return jira("acme", {"webhookEvent": "comment_created", "issue": issue,
                             "comment": {"id": "3", "body": "on it", "jsdPublic": public,
                                         "author": {"accountId": "a1", "accountType": account}}})[0]
    assert (jira_comment("atlassian", True).author_role, jira_comment("atlassian", True).comment_public) == (
        AuthorRole.agent, True)
    assert jira_comment("atlassian", False).comment_public is False
    assert jira_comment("customer", True).author_role is AuthorRole.requester
    assert jira_comment("app", True).author_role is AuthorRole.system
    assert jira("acme", {"webhookEvent": "jira:issue_updated", "issue": issue})[0].author_role is None
    own = {**issue, "fields": {**issue["fields"], "reporter": {"accountId": "a1"}}}  # the reporter asks again
    asked = jira("acme", {"webhookEvent": "comment_created", "issue": own,
                          "comment": {"id": "4", "body": "any news?", "author": {"accountId": "a1",
                                                                               "accountType": "atlassian"}}})[0]
    assert asked.author_role is AuthorRole.requester

    sn = servicenow("acme", {"sys_id": "abc", "sys_updated_on": "2026-12-01 10:00:00", "comments": "fixed"},
                    "agent_replied")
    assert (sn.event_type.value, sn.author_role, sn.comment_public) == ("comment_added", AuthorRole.agent, True)
    assert servicenow("acme", {"sys_id": "abc", "sys_updated_on": "2026-12-01 10:00:00"}).author_role is None

    class Threads:
        def resolve(self, tenant: str, message_id: str, in_reply_to: list[str], references: list[str]) -> str:
            return "t-1"

    reply_mail = EmailMessage(provider="postmark", message_id="<m2@x>", subject="Re: help", text="still broken",
                              from_name="", from_email="c@example.com", date=None, in_reply_to=["<m1@x>"],
                              references=[], extra={})
    mail = map_email("acme", reply_mail, Threads(), datetime(2026, 12, 1, tzinfo=UTC))  # type: ignore[arg-type]
    assert (mail.author_role, mail.comment_public) == (AuthorRole.requester, True)
