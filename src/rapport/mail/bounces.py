"""Bounces and delay notices: mail a mail system wrote about mail we sent.

Three layers, most reliable first, the way list managers (Mailman) do it:

1. RFC 3464 delivery status notifications: a `message/delivery-status` part
   anywhere in the message, with or without `report-type` on its
   `multipart/report` (several MTAs leave it out). Each recipient's `Action`
   (failed / delayed) and `Status` class (5 permanent, 4 transient) decide
   between a bounce and a delay.
2. Mailman's own detectors (`flufl.bounce`): the non-standard formats of qmail,
   Yahoo, AOL, Exim, Exchange, GroupWise, Postfix before DSNs, and more. They
   answer permanent and temporary failures separately.
3. What is left for the formats no detector knows: a message from a mail system
   (a null envelope sender, `MAILER-DAEMON`/`postmaster`/Exchange's system
   sender, or a From with no address such as `Postmaster <>`) whose subject is a
   delivery failure or delay notice; an Exchange NDR header; X-Failed-Recipients.

The detectors only run on mail that looks like a notice from a mail system at
all (a gate on sender, subject and structure): a customer's ordinary mail never
pays for them, and a customer who writes "undeliverable parcel" is not dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email.message import Message

from rapport.mail.parse import ParsedMail

logger = logging.getLogger(__name__)

BOUNCE = "bounce"
DELAY = "delay"

# Local parts mail systems send from; Exchange's system mailbox has a GUID suffix.
_SYSTEM_SENDER = re.compile(
    r"^(mailer-daemon|mail-daemon|mailerdaemon|postmaster|mail\.?delivery\.?(system|subsystem)?|"
    r"microsoftexchange[0-9a-f]{0,32}|double-bounce|bounces?|nobody|noreply-dmarc-support)@",
    re.I,
)
_SYSTEM_NAME = re.compile(
    r"mailer[- ]?daemon|postmaster|mail delivery|delivery subsystem|mail administrator|"
    r"system administrator|e-?mail delivery",
    re.I,
)
_DELAY_SUBJECT = re.compile(
    r"^(delayed mail|warning: (could not send|message .* delayed|delayed mail)|"
    r"delivery status notification \(delay\)|(message |mail )?delivery (has been )?delayed|"
    r"delivery delay(ed)? notification|(mail |message )?delivery warning|"
    r"(message|mail) (is )?delayed|zustellung verz[öo]gert|transient (delivery )?failure|"
    r"(mail|message) delivery (is )?(delayed|postponed)|r[eé]ception retard[eé]e|"
    r"remise retard[ée]e|vertraagde bezorging|entrega retrasada|consegna ritardata)",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"^((message |mail )?undeliver(ed|able)( mail| message)?|non[- ]?deliver(ed|able|y)|"
    r"not delivered|message not delivered|message (could not be|was not) delivered|"
    r"delivery status notification|delivery (notification|report|problem)|"
    r"(message |mail )?delivery (failure|failed|has failed|final failure)|"
    r"failure notice|failed (delivery|mail)|mail failure|"
    r"returned (mail|message)|mail returned|returned to sender|"
    r"mail (delivery )?(failed|failure|system error)|"
    r"mail delivery (system|subsystem)|(could not|unable to) (send|deliver)|"
    r"message you sent blocked|"
    r"unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|non remis|non distribu[ée]|"
    r"[ée]chec de (la )?(remise|distribution)|onbestelbaar|niet bezorgd|"
    r"no se (puede|pudo|ha podido) entregar|mensaje no entregado|non recapitabile|"
    r"mancato recapito|n[ãa]o (foi poss[ií]vel )?entregue|olevererbart|olevererings?bart|"
    r"kan (ikke|inte) leveres|kan inte levereras|ikke leveret|niedostarczon|"
    r"недоставлен|не доставлен|配信不能|退信|未能投递|不能投递)",
    re.I,
)
# A failure line in the body of a report without a structure (qmail, old Sendmail).
_BOUNCE_BODY = re.compile(
    r"(could not be delivered|permanent (fatal )?error|delivery (to the following "
    r"recipients? )?failed|user unknown|no such (user|mailbox)|mailbox unavailable|"
    r"unable to deliver|this is the qmail-send program|was not delivered|"
    r"550[ -]5\.\d\.\d|recipient address rejected)",
    re.I,
)


@dataclass
class Verdict:
    kind: str  # BOUNCE or DELAY
    reason: str
    failed: set[str] = field(default_factory=set)


def is_system_address(address: str) -> bool:
    """An address no person reads: we never write to it (a reply would only bounce)."""
    address = address.strip().strip("<>")
    return not address or bool(_SYSTEM_SENDER.match(address))


def _looks_like_notice(mail: ParsedMail, envelope_from: str) -> bool:
    system = (
        not mail.from_address
        or is_system_address(mail.from_address)
        or bool(_SYSTEM_NAME.search(mail.from_name))
    )
    return (
        envelope_from.strip() == "<>"
        or system
        or mail.content_type == "multipart/report"
        or bool(_BOUNCE_SUBJECT.match(mail.subject) or _DELAY_SUBJECT.match(mail.subject))
        or bool(mail.header("x-failed-recipients"))
    )


def _dsn(message: Message) -> Verdict | None:
    """RFC 3464: the per-recipient fields of every message/delivery-status part."""
    failed: set[str] = set()
    delayed = False
    found = False
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        found = True
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        for block in blocks:
            if not isinstance(block, Message):
                continue
            action = str(block.get("action", "")).strip().lower()
            status = str(block.get("status", "")).strip()
            recipient = str(block.get("final-recipient") or block.get("original-recipient") or "")
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            if action == "failed" or (not action and status.startswith("5")):
                failed.add(address)
            elif action == "delayed" or status.startswith("4"):
                delayed = True
    if not found:
        return None
    if failed:
        return Verdict(BOUNCE, "delivery status report: failed (RFC 3464)", failed)
    if delayed:
        return Verdict(DELAY, "delivery status report: delayed (RFC 3464)")
    # Delivered/relayed/expanded: a success report, no person wrote it either.
    return Verdict(DELAY, "delivery status report (RFC 3464)")


def _flufl(message: Message) -> Verdict | None:
    try:
        from flufl.bounce import all_failures

        temporary, permanent = all_failures(message)
    except Exception:  # a detector tripping on odd input must not quarantine the mail
        logger.debug("flufl.bounce failed on a message", exc_info=True)
        return None
    if permanent:
        failed = {
            a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a) for a in permanent
        }
        return Verdict(BOUNCE, "delivery failure notice (non-standard format)", failed)
    if temporary:
        return Verdict(DELAY, "delivery delay notice (non-standard format)")
    return None


def detect(mail: ParsedMail, envelope_from: str = "") -> Verdict | None:
    """A bounce or delay notice, or None for anything else.

    `envelope_from`: the SMTP envelope sender, `<>` for the null sender; empty
    when unknown (a message read from a file or IMAP without Return-Path)."""
    if not envelope_from:
        envelope_from = mail.header("return-path").strip()
        if envelope_from and "@" not in envelope_from:
            envelope_from = "<>"
    if "x-ms-exchange-message-is-ndr" in mail.headers:
        return Verdict(BOUNCE, "Exchange non-delivery report")
    if not _looks_like_notice(mail, envelope_from):
        return None
    message = mail.message
    if message is not None:
        verdict = _dsn(message)
        if verdict is not None:
            return verdict
    if mail.header("x-failed-recipients"):
        return Verdict(BOUNCE, "X-Failed-Recipients")
    subject = mail.subject.strip()
    null_sender = envelope_from.strip() == "<>"
    system = (
        null_sender
        or not mail.from_address
        or is_system_address(mail.from_address)
        or bool(_SYSTEM_NAME.search(mail.from_name))
    )
    if system and _DELAY_SUBJECT.match(subject):
        return Verdict(DELAY, f"delivery delay notice: {subject[:80]}")
    if message is not None and (system or _BOUNCE_SUBJECT.match(subject)):
        verdict = _flufl(message)
        if verdict is not None:
            return verdict
    if system and _BOUNCE_SUBJECT.match(subject):
        return Verdict(
            BOUNCE, f"delivery failure notice from {mail.from_address or 'a mail system'}"
        )
    # From an ordinary address, a failure subject alone is a person writing about a
    # parcel or an order: only with the returned original attached and a failure
    # report in the text is it a mail system's notice relayed by another sender.
    if _BOUNCE_SUBJECT.match(subject) and _carries_original(mail) and _failure_text(mail):
        return Verdict(BOUNCE, f"delivery failure notice: {subject[:80]}")
    if null_sender and not mail.from_address:
        return Verdict(BOUNCE, "null sender and no From: a mail system's notice")
    if system and _failure_text(mail):
        return Verdict(BOUNCE, "delivery failure notice (text)")
    return None


def _carries_original(mail: ParsedMail) -> bool:
    return any(
        a.content_type in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers")
        for a in mail.attachments
    )


def _failure_text(mail: ParsedMail) -> bool:
    return bool(_BOUNCE_BODY.search((mail.text or "")[:20_000]))
