"""What customers write in the demo: the support and billing topics, their threads
and the hand-offs they lead to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Handoff:
    """Work a team hands to another provider, as a child of the client's ticket."""

    to: str
    subject: str
    body: str
    fix: str
    then: Handoff | None = None


@dataclass(frozen=True)
class Topic:
    subjects: tuple[str, ...]
    body: str
    ask: str  # the provider's first reply: a question or what happens next
    info: str  # the client's answer
    fix: str  # the provider's resolution
    tags: tuple[str, ...] = ()
    note: str = ""
    hold: bool = False  # the first reply waits on a third party
    handoff: Handoff | None = None


TRACE_PARCEL = Handoff(
    "swiftparcel",
    "Trace parcel for order {order}",
    "Parcel for order {order} has had no tracking scan for three days. Please trace it "
    "and confirm a delivery date; the customer needs it by Friday.",
    "Found at our Leipzig hub: the label was damaged and the parcel could not be scanned. "
    "Relabelled, delivery tomorrow before noon.",
)
SUPPORT = (
    Topic(
        ("Password reset e-mail never arrives", "Not receiving the password reset link"),
        "I requested a password reset three times this morning but no e-mail has arrived. "
        "I checked the spam folder too. My colleagues can still sign in.",
        "Sorry about that. Could you tell me the exact address you requested the reset for, "
        "and roughly when? I'll check our mail logs.",
        "It was my work address, around 9:15 and again at 9:40. Our IT says nothing was blocked.",
        "Our mail logs showed your server greylisting our messages. I've sent a fresh reset "
        "link, which your server accepted a minute ago; it is valid for 24 hours.",
        ("login", "email"),
        "Mail log: 451 greylisting from their MX. Asked IT to whitelist our relay with them.",
        handoff=Handoff(
            "it",
            "Mail to {org} is greylisted",
            "Our password reset mails to {org} are deferred with 451 greylisting. Can you "
            "check our relay's reputation and contact their postmaster if needed?",
            "Our relay was on one public blocklist after last week's newsletter. Delisted, and "
            "their postmaster confirmed they accept our mail again.",
        ),
    ),
    Topic(
        ("Account locked after failed sign-ins", "Locked out of my account"),
        "After a few wrong passwords my account is locked, and I need to publish a price "
        "update today. Can you unlock it?",
        "I can help with that. For security, could you confirm the last four digits of your "
        "customer number?",
        "Sure, it ends in {digits}.",
        "Thanks, verified. I've unlocked your account and sent a reset link so you can choose "
        "a new password.",
        ("login", "account"),
    ),
    Topic(
        ("Lost my phone, need a two-factor reset", "New phone: authenticator codes missing"),
        "I replaced my phone over the weekend and the authenticator app didn't transfer. "
        "I can't get past the second sign-in step.",
        "No problem. Our policy needs your organisation's admin to approve a two-factor reset; "
        "could you ask them to reply here?",
        "Our admin has confirmed, please go ahead.",
        "Done: two-factor is reset. At your next sign-in you'll enrol the new phone. Please "
        "keep the recovery codes somewhere safe this time.",
        ("login", "2fa"),
        "Approval checked against the org admin list.",
    ),
    Topic(
        ("Orders export to CSV times out", "CSV export of last quarter fails"),
        "When I export all orders for last quarter the download runs for a few minutes and "
        "then fails with 'Gateway timeout'. Smaller date ranges work.",
        "Thanks for the detail. Roughly how many orders are in that range, and which browser "
        "are you using?",
        "About 48,000 orders. Chrome on Windows, same in Edge.",
        "Large exports now run in the background for your account. Start the export again and "
        "you'll get an e-mail with the download link, usually within 5 minutes.",
        ("reporting", "export"),
        "Known limit of synchronous exports above 30k rows, see KB-311.",
    ),
    Topic(
        ("Error 500 when saving a product", "Internal server error on the product page"),
        "Since about 10:00 every save of a product gives 'Internal Server Error'. This blocks "
        "our catalogue update for the weekend sale.",
        "I can reproduce this and have raised it with our hosting provider as a priority. "
        "I'll update you within the hour.",
        "Thanks. Please keep me posted, the sale starts Friday.",
        "Our hosting provider found a full disk on a database node and fixed it. Saving "
        "products works again; I tested it with a copy of your catalogue.",
        ("bug", "platform"),
        "Three customers hit this in the same hour: platform-wide.",
        handoff=Handoff(
            "nimbus",
            "HTTP 500 on product saves since 10:00",
            "Customers get HTTP 500 when saving products since about 10:00. Application logs "
            "show 'could not extend file' from the database. Please check disk space on db-2.",
            "db-2's data volume was full after a stuck WAL archive. Cleared and extended by "
            "200 GB; alerting threshold lowered to 75%.",
        ),
    ),
    Topic(
        ("Dashboard extremely slow today", "Reports take minutes to load"),
        "Since this morning the dashboard takes over a minute to load and reports often time "
        "out. Our store managers can't see yesterday's sales.",
        "Thanks for reporting. We see elevated response times too and our hosting provider is "
        "investigating.",
        "It is still slow here, about 40 seconds per page.",
        "A failing storage controller at our hosting provider was replaced. Response times are "
        "back to normal; sorry for the slow morning.",
        ("performance", "platform"),
        handoff=Handoff(
            "nimbus",
            "Slow responses on the customer platform",
            "Dashboard response times went from 300 ms to 40 s this morning; CPU is idle, I/O "
            "wait is high on app-3 and app-4. Please check the storage backend.",
            "A degraded storage controller in rack B7 was failed over and replaced. Latency is "
            "back to baseline.",
        ),
    ),
    Topic(
        ("Order {order} hasn't arrived", "Where is my order {order}?"),
        "Order {order} was due on Tuesday and the tracking hasn't changed for three days. "
        "Our store opening depends on these fixtures.",
        "I'm sorry for the wait. I've asked our logistics team to trace order {order} with the "
        "carrier and will update you as soon as I hear back.",
        "Thanks. If it can't arrive by Friday please tell us so we can plan.",
        "The carrier found the parcel at their hub with a damaged label. It is out for "
        "delivery today, and I've credited one shipping fee to your account.",
        ("shipping", "delay"),
        handoff=Handoff(
            "logistics",
            "Trace order {order} for {org}",
            "{org} reports order {order} hasn't moved for three days. Please check with the "
            "carrier and tell me what I can promise the customer.",
            "The carrier relabelled the parcel; delivery is tomorrow before noon.",
            then=TRACE_PARCEL,
        ),
    ),
    Topic(
        ("Delivery arrived damaged", "Order {order}: items broken on arrival"),
        "Order {order} arrived this morning with the box crushed and two display units "
        "cracked. We have photos.",
        "Very sorry to hear that. Please send photos of the box and the units; I've opened a "
        "damage claim with the courier.",
        "Photos are in the e-mail I sent just now. Two units are unusable.",
        "The courier accepted the claim. Two replacement units ship today by express, and you "
        "don't need to return the damaged ones.",
        ("shipping", "damaged"),
        handoff=Handoff(
            "swiftparcel",
            "Damage claim: order {order} for {org}",
            "Our customer {org} received order {order} with a crushed box and two cracked "
            "units. Please open a damage claim; photos are on file.",
            "Claim CLM-{digits} accepted: we refund the shipping and the declared value of the "
            "two units.",
        ),
    ),
    Topic(
        ("Please add five more user seats", "Need accounts for new team members"),
        "Five new store managers start on Monday. Can you add five seats to our subscription "
        "and tell us how to invite them?",
        "Happy to. Should the seats be on your current plan, and who should get the invitations?",
        "Same plan please; invitations straight to the managers, list attached.",
        "The five seats are added and the invitations are out, valid for 7 days. The change "
        "shows on your next invoice, prorated.",
        ("account", "licensing"),
    ),
    Topic(
        ("Set up single sign-on with Azure AD", "SSO configuration help"),
        "We'd like our staff to sign in with their Azure AD accounts. Is SSO in our plan, and "
        "what do you need from us?",
        "SSO is included in your plan. Could you send your tenant's federation metadata URL? "
        "Our IT team prepares the SAML settings meanwhile.",
        "Here is the metadata URL from our Azure portal: https://login.microsoftonline.com/"
        "{digits}/federationmetadata/2007-06/federationmetadata.xml",
        "SSO is configured: your users can choose 'Sign in with Microsoft'. Password sign-in "
        "stays available for your admin account as a fallback.",
        ("sso", "how-to"),
        handoff=Handoff(
            "it",
            "SAML connection for {org}",
            "{org} wants SSO with Azure AD. Please create the SAML connection and send me "
            "our entity ID and reply URL for them.",
            "Connection created and tested with a test account from their tenant.",
        ),
    ),
    Topic(
        ("Wrong items delivered for order {order}", "Received the wrong size in {order}"),
        "We ordered 20 large shelving units in order {order} but received medium ones.",
        "Sorry for the mix-up. Logistics is arranging a pickup and the right units. Are the "
        "units still in their packaging?",
        "Yes, still packed and ready on the loading bay.",
        "Pickup is booked for tomorrow morning and the large units ship the same day. "
        "Tracking follows by e-mail.",
        ("returns", "shipping"),
        handoff=Handoff(
            "logistics",
            "Exchange for {org}, order {order}",
            "{org} received medium instead of large shelving units in order {order}. Please "
            "book a pickup and ship 20 large units.",
            "Pickup booked for tomorrow 9–12; 20 large units are picked and ship tomorrow.",
        ),
    ),
)


BILLING = (
    Topic(
        ("Wrong VAT number on invoice {invoice}", "Invoice {invoice} has our old VAT ID"),
        "Invoice {invoice} shows our old VAT number, so our accounts team can't book it. "
        "Could you issue a corrected invoice?",
        "Of course. Could you send the correct VAT ID and confirm the billing address?",
        "The correct VAT ID is DE{digits}8127. The address is unchanged.",
        "I've updated your account and re-issued the invoice as {invoice}-C with the correct "
        "VAT ID; the original is cancelled.",
        ("invoice", "vat"),
    ),
    Topic(
        ("Charged twice this month", "Duplicate card payment"),
        "Our card statement shows two charges of {amount} EUR on the same day for our "
        "subscription.",
        "Thanks for flagging this. Could you send the last four digits of the card and the "
        "dates of both charges?",
        "Card ending {digits}, both charges on the 3rd.",
        "You're right: the payment provider retried and charged twice. I've refunded the "
        "second charge of {amount} EUR; expect it within 5 business days.",
        ("payment", "refund"),
        "Payment provider retried after a timeout; second case this month.",
    ),
    Topic(
        ("Refund for seats we removed", "Billed for unused seats"),
        "We removed 3 seats last month but were still billed for them. Can we get a refund "
        "or a credit?",
        "Let me check. On which date were the seats removed?",
        "On the 12th, by our admin.",
        "Confirmed: the invoice was created before the change synced. I've issued a credit "
        "note of {amount} EUR against your next invoice.",
        ("refund", "credit-note"),
    ),
    Topic(
        ("Please add our PO number to invoice {invoice}", "PO number missing on invoice"),
        "Our finance department needs our purchase order number on every invoice. Could you "
        "re-issue {invoice} with PO {digits}?",
        "Sure. Should the PO number appear on all future invoices too?",
        "Yes please, until the PO changes in January.",
        "Done: {invoice} is re-issued with PO {digits}, and the PO is saved on your account.",
        ("invoice",),
    ),
    Topic(
        ("Card expired: how do I update payment details?", "Update the card on file"),
        "Our company card expired and we got a payment failure notice. Where do we enter the "
        "new card?",
        "Under Settings → Billing → Payment method. Did the page accept the new card?",
        "It says 'card declined' although the card works elsewhere.",
        "The card needed 3-D Secure, which was switched off for your account. I've enabled it; "
        "please try again and confirm in your banking app.",
        ("payment",),
    ),
    Topic(
        ("Switch to annual billing?", "Question about annual plan pricing"),
        "We'd like to move from monthly to annual billing. What would the price be and when "
        "would the switch happen?",
        "Annual billing saves 15%. Should it start at your next renewal on the 1st?",
        "Yes, from the 1st please.",
        "Switched: from the 1st you'll be billed annually at {amount} EUR. The confirmation is "
        "in your inbox.",
        ("plan", "question"),
    ),
)
