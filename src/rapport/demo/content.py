"""What people write in the demo: topics, threads and hand-offs per provider.

Kept apart from `demo.py`, which builds the organisation from these texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapport.core.choices import Priority

# --- the directory ------------------------------------------------------------

TEAMS = {
    "support": "Customer Support",
    "billing": "Billing",
    "it": "IT Service Desk",
    "logistics": "Logistics",
}
# username, full name, staff role, team, is the team's lead
STAFF = (
    ("amara.okafor", "Amara Okafor", "admin", "", False),
    ("daniel.fischer", "Daniel Fischer", "manager", "", False),
    ("sofia.martins", "Sofia Martins", "agent", "support", True),
    ("jonas.weber", "Jonas Weber", "agent", "support", False),
    ("priya.nair", "Priya Nair", "agent", "support", False),
    ("lucas.moreau", "Lucas Moreau", "agent", "billing", True),
    ("hannah.schmidt", "Hannah Schmidt", "agent", "billing", False),
    ("mateo.rossi", "Mateo Rossi", "agent", "it", True),
    ("chloe.dubois", "Chloe Dubois", "agent", "it", False),
    ("kenji.tanaka", "Kenji Tanaka", "agent", "it", False),
    ("fatima.haddad", "Fatima Haddad", "agent", "logistics", True),
    ("tom.becker", "Tom Becker", "agent", "logistics", False),
)
EMPLOYEES = (
    ("elena.petrova", "Elena Petrova"),
    ("marcus.brown", "Marcus Brown"),
    ("lina.johansson", "Lina Johansson"),
    ("oskar.nowak", "Oskar Nowak"),
)
# key, name, kind, e-mail domain, people (username, full name, is the org's admin)
ORGANISATIONS: tuple[tuple[str, str, str, str, tuple[tuple[str, str, bool], ...]], ...] = (
    ("contoso", "Contoso Retail", "customer", "contoso.example", (
        ("grace.kim", "Grace Kim", True),
        ("peter.lindqvist", "Peter Lindqvist", False),
        ("aisha.bello", "Aisha Bello", False),
    )),
    ("fabrikam", "Fabrikam Manufacturing", "customer", "fabrikam.example", (
        ("henrik.larsen", "Henrik Larsen", True),
        ("maria.garcia", "Maria Garcia", False),
        ("ivan.horvat", "Ivan Horvat", False),
        ("zoe.clarke", "Zoe Clarke", False),
    )),
    ("tailspin", "Tailspin Travel", "customer", "tailspin.example", (
        ("nora.quinn", "Nora Quinn", True),
        ("samuel.adeyemi", "Samuel Adeyemi", False),
    )),
    ("nimbus", "Nimbus Hosting", "vendor", "nimbus-hosting.example", (
        ("ray.patel", "Ray Patel", False),
        ("julia.novak", "Julia Novak", False),
    )),
    ("swiftparcel", "SwiftParcel Couriers", "vendor", "swiftparcel.example", (
        ("carla.mendes", "Carla Mendes", False),
    )),
    ("fixright", "FixRight Field Engineers", "contractor", "fixright.example", (
        ("ben.carter", "Ben Carter", False),
        ("yusuf.demir", "Yusuf Demir", False),
    )),
)  # fmt: skip
CUSTOMERS = ("contoso", "fabrikam", "tailspin")

# --- agreements ---------------------------------------------------------------

WEEKDAYS = range(5)
CALENDARS: dict[str, dict[str, Any]] = {
    "berlin": {
        "name": "Berlin office hours",
        "time_zone": "Europe/Berlin",
        "weekly_hours": [{"weekday": d, "start": "08:00", "end": "18:00"} for d in WEEKDAYS],
        "holiday_country": "DE",
        "holiday_subdivision": "BE",
    },
    "new_york": {
        "name": "New York office hours",
        "time_zone": "America/New_York",
        "weekly_hours": [{"weekday": d, "start": "09:00", "end": "17:00"} for d in WEEKDAYS],
        "holiday_country": "US",
        "holiday_subdivision": "NY",
    },
    "always": {"name": "Around the clock (24×7)", "time_zone": "UTC", "always_open": True},
}
# Business minutes per priority: first response, next response, resolution.
TARGETS = {
    "urgent": (30, 60, 240),
    "high": (60, 120, 480),
    "normal": (240, 480, 2400),
    "low": (480, 960, 4800),
}
# name, kind, provider, client, calendar, share of the standard targets, clients choose priority.
# An underpinning contract promises faster than the agreement it underpins.
AGREEMENTS = (
    ("Contoso Retail — customer support", "sla", "support", "contoso", "new_york", 1.0, False),
    ("Fabrikam — customer support", "sla", "support", "fabrikam", "berlin", 1.0, False),
    ("Tailspin Travel — premium support 24×7", "sla", "support", "tailspin", "always", 1.0, True),
    ("Contoso Retail — billing", "sla", "billing", "contoso", "new_york", 1.0, False),
    ("Fabrikam — billing", "sla", "billing", "fabrikam", "berlin", 1.0, False),
    ("Tailspin Travel — billing", "sla", "billing", "tailspin", "berlin", 1.0, False),
    ("IT services for Northwind", "ola", "it", "own", "berlin", 1.0, True),
    ("Logistics for Northwind", "ola", "logistics", "own", "berlin", 1.0, False),
    ("Nimbus — infrastructure hosting", "uc", "nimbus", "it", "always", 0.5, True),
    ("Nimbus — platform incidents", "uc", "nimbus", "support", "always", 0.5, True),
    ("SwiftParcel — courier service", "uc", "swiftparcel", "logistics", "berlin", 0.5, False),
    ("SwiftParcel — delivery claims", "uc", "swiftparcel", "support", "berlin", 0.5, False),
    ("FixRight — on-site service for Fabrikam", "uc", "fixright", "fabrikam", "berlin", 0.5, False),
    ("FixRight — office repairs", "uc", "fixright", "it", "berlin", 0.5, False),
)

# --- what people write --------------------------------------------------------


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
IT = (
    Topic(
        ("VPN disconnects every few minutes", "VPN keeps dropping when working from home"),
        "Since yesterday the VPN drops every 5–10 minutes when I work from home. Video calls "
        "are fine, only the VPN. I'm on the latest client.",
        "Could you send a screenshot of the error, and does it also happen on your phone's "
        "hotspot?",
        "Same on the hotspot. The error says 'Peer not responding'.",
        "The VPN gateway's keep-alive setting was too strict after last week's change; our "
        "hosting provider has fixed it. Please reconnect once.",
        ("vpn", "network"),
        "Gateway DPD timeout too low since the change on the 2nd.",
    ),
    Topic(
        ("Locked out of my laptop", "Forgot my Windows password"),
        "I changed my password on Friday and now my laptop doesn't accept it.",
        "Is the laptop connected to the office network or VPN when you try?",
        "No, I'm at home without VPN.",
        "Your laptop still had the old password cached. I've reset it to a one-time password "
        "(sent by text); sign in once on the office network and choose a new one.",
        ("password", "account"),
    ),
    Topic(
        ("Printer on floor {floor} jams constantly", "Floor {floor} printer shows error E-52"),
        "The printer by the kitchen on floor {floor} keeps jamming and now shows error E-52. "
        "Half the floor can't print.",
        "E-52 is a fuser fault, so we need an engineer; I've booked our repair contractor. "
        "Until then please use the printer one floor down.",
        "OK, thanks. Do you know roughly when?",
        "The engineer replaced the fuser unit this morning and ran test prints. The printer "
        "is back in service.",
        ("printer", "hardware"),
        hold=True,
    ),
    Topic(
        ("Laptop for a new starter on Monday", "New joiner setup: {newhire}"),
        "{newhire} joins my team on Monday. Could you prepare a laptop, an e-mail account and "
        "access to the sales drive?",
        "The laptop is ordered and arrives Friday; I'm putting this on hold until it's here. "
        "Accounts will be ready Monday 8:00.",
        "Great, thank you. Please also add them to the Sales channel in Teams.",
        "All set: laptop imaged, accounts created, sales drive and Teams channel added. The "
        "laptop is waiting at reception.",
        ("onboarding", "hardware"),
        hold=True,
    ),
    Topic(
        ("Outlook not syncing on my phone", "E-mail stopped syncing on mobile"),
        "Since the weekend my phone doesn't get new mail. Calendar still works.",
        "Which phone and app are you using? Did you change your password recently?",
        "iPhone with the Outlook app, and yes, I changed my password on Friday.",
        "The app kept the old password. Remove the account in Outlook and add it again; I've "
        "cleared the stale device session on our side.",
        ("email", "mobile"),
    ),
    Topic(
        ("Access to the Finance shared drive", "Need access to the Q3 reports folder"),
        "I need read access to the Q3 reports folder on the Finance drive for the board pack.",
        "Access needs the drive owner's approval; I've asked them. I'll update you when they "
        "reply.",
        "Thanks, I need it by Thursday if possible.",
        "Approved and granted: you have read access to Finance/Reports/Q3. It may take 10 "
        "minutes to appear.",
        ("access",),
        "Approval from the Finance drive owner is in the mail archive.",
    ),
    Topic(
        ("Figma licence request", "Need an Adobe Acrobat Pro licence"),
        "I need a licence for this tool for the new campaign work. My manager has agreed.",
        "Which cost centre should the licence go on?",
        "Cost centre 4410, Marketing.",
        "Licence assigned; you'll get an invitation e-mail. Sign in with your work account.",
        ("software", "licence"),
    ),
    Topic(
        ("Docking station doesn't detect my monitors", "Second monitor flickering"),
        "My docking station stopped detecting both monitors this morning.",
        "Could you try another USB-C port and tell me the model on the bottom of the dock?",
        "Other port doesn't help. It's a WD19S.",
        "A firmware update for the WD19S fixes this. I've pushed it to your laptop; restart "
        "with the dock connected.",
        ("hardware",),
    ),
)
LOGISTICS = (
    Topic(
        ("Courier pickup for samples to {customer}", "Please book a courier for samples"),
        "I need to send a box of samples to {customer} by Thursday, about 5 kg. Can you book a "
        "pickup from reception?",
        "Sure. What are the box dimensions, and is standard delivery enough?",
        "40×30×30 cm. Standard is fine if it arrives by Thursday.",
        "Booked: pickup tomorrow 10–12 at reception, delivery Wednesday, tracking SP{digits}.",
        ("courier", "pickup"),
    ),
    Topic(
        ("Office supplies order missing", "Stationery delivery didn't arrive"),
        "Our supplies order for floor {floor} was due yesterday but nothing has arrived.",
        "I'm checking with the supplier. Was it the regular monthly order?",
        "Yes, the regular one.",
        "The supplier split the delivery; the rest arrives tomorrow morning.",
        ("supplies",),
    ),
    Topic(
        ("Ship a laptop to a remote employee", "Send a monitor to a home office"),
        "Please ship a laptop to {newhire}, who works remotely from Hamburg.",
        "Will do. Could you send the delivery address and a phone number for the courier?",
        "Address and number are in the HR system; {newhire} is expecting it.",
        "Shipped insured with signature on delivery; tracking SP{digits}.",
        ("shipping",),
    ),
    Topic(
        ("Pallet for the trade fair stand", "Trade fair shipment to Hall 4"),
        "We need two pallets of stand material delivered to the trade fair, Hall 4, by the 14th.",
        "Can do. When can we pick up from the marketing store room?",
        "Any day this week after 10:00.",
        "Pickup Thursday, delivery to Hall 4 on the 13th with a time slot of 8–10.",
        ("shipping", "events"),
    ),
)
ON_SITE = (
    Topic(
        ("Scanner on packing line {floor} offline", "Barcode scanner not reading labels"),
        "The barcode scanner on packing line {floor} stopped reading labels. We scan by hand, "
        "which halves throughput.",
        "An engineer can be on site tomorrow at 8:00. Can someone open the line cabinet?",
        "Confirmed, our shift lead will be there at 8.",
        "The engineer replaced the scanner's optics and recalibrated it; the line runs at full "
        "speed again.",
        ("onsite", "hardware"),
    ),
    Topic(
        ("Schedule the quarterly maintenance visit", "Preventive maintenance for line printers"),
        "Please schedule this quarter's preventive maintenance for the warehouse printers.",
        "We can come next Tuesday or Wednesday morning. Which suits you?",
        "Wednesday please.",
        "Maintenance done on all 6 printers; the report is attached to our invoice.",
        ("onsite", "maintenance"),
    ),
    Topic(
        ("Label printer prints smudged labels", "Warehouse label printer broken"),
        "The label printer at goods-out prints smudged labels that couriers reject.",
        "Sounds like the print head. Our engineer will bring a spare; is 14:00 today OK?",
        "14:00 is fine.",
        "Print head replaced and tested with 200 labels; all scan fine.",
        ("onsite", "printer"),
    ),
)
HOSTING = (
    Topic(
        ("VPN gateway certificate expires in 14 days", "Renew the certificate on the VPN"),
        "Monitoring shows the certificate on vpn.northwind.example expires in 14 days. Please "
        "renew it in the agreed maintenance window.",
        "Acknowledged. We'll renew it Thursday 22:00 CET, no downtime expected.",
        "Thursday works. Please confirm when it's done.",
        "Renewed; the new certificate is valid for 12 months and monitoring is green.",
        ("vpn", "certificate"),
    ),
    Topic(
        ("Nightly backup of the file server failed", "Backup job failed twice"),
        "The nightly backup of fs-01 failed two nights in a row with 'snapshot timeout'.",
        "We're looking into it. Can we take a manual snapshot tonight at 23:00?",
        "Yes, go ahead.",
        "The snapshot agent was hung after the hypervisor update; restarted and patched. Last "
        "night's backup completed.",
        ("backup",),
    ),
    Topic(
        ("Database disk at 85%", "Please extend storage on db-2 by 200 GB"),
        "db-2 is at 85% disk use and grows 2% a week. Please extend it by 200 GB.",
        "Sure. It needs a short I/O freeze; is Sunday 06:00 OK?",
        "Sunday 06:00 is fine.",
        "Extended by 200 GB online; no freeze was needed in the end.",
        ("capacity",),
    ),
)
COURIER = (
    Topic(
        ("Missed pickup at our warehouse", "Driver did not come for pickup {digits}"),
        "Pickup {digits} was booked for yesterday 14–16 but no driver came. 12 parcels are "
        "waiting.",
        "Apologies, the route was overbooked. Can we collect tomorrow 9–11?",
        "Tomorrow morning is OK, but please make sure it happens.",
        "Collected this morning, all 12 parcels scanned; delivery dates unchanged.",
        ("pickup", "courier"),
    ),
    Topic(
        ("Tracking not updating for SP{digits}", "Shipment stuck in transit"),
        "Shipment SP{digits} hasn't had a scan for four days.",
        "We're tracing it at the hub. Was it insured?",
        "Yes, insured for the full value.",
        "Found: it was on the wrong linehaul. Delivered this afternoon.",
        ("tracking",),
    ),
)
REPAIRS = (
    Topic(
        ("Printer repair in the Berlin office, floor {floor}", "Fuser fault on floor {floor}"),
        "The printer on floor {floor} shows E-52 (fuser). Please send an engineer.",
        "An engineer can come tomorrow between 8 and 10.",
        "Fine, ask for IT at reception.",
        "Fuser replaced, test pages fine. Parts are under warranty.",
        ("printer", "onsite"),
    ),
    Topic(
        ("Badge reader at the side entrance broken", "Door access reader not working"),
        "The badge reader at the side entrance doesn't react to any badge.",
        "We'll check it this afternoon. Is the door on the emergency power circuit?",
        "Yes, it is.",
        "The reader's power supply failed; replaced, and the door works again.",
        ("onsite", "access"),
    ),
)

THANKS = (
    "Thanks {agent}, that fixed it.",
    "Confirmed, it works again. Thank you!",
    "Great, all good on our side now.",
    "Perfect, thanks for the quick help.",
)
STILL = (
    "Sorry, it is happening again this morning, same as before.",
    "That helped for a day, but the problem is back.",
    "Unfortunately this didn't solve it; we see the same thing.",
)
FOLLOW_UP = (
    "Thanks for the details. I've escalated this to our second-line team and will update "
    "you by tomorrow.",
    "I can reproduce it now. We're working on a fix and I'll keep you posted.",
)
REFIX = (
    "Sorry it came back. We found a second cause and fixed that as well; please let us know "
    "if you see it again.",
    "Apologies: the first fix didn't stick. It's now fixed at the source.",
)
DUPLICATES = (
    "Sending this again as I haven't heard back. Any update?",
    "Following up on my earlier message; this is getting urgent.",
)
NOTES = (
    "Checked the logs: nothing unusual on our side before the report.",
    "Client called in and sounded frustrated; worth a personal follow-up.",
    "Similar to a ticket from the same client last month.",
    "Waiting for second-line to confirm before promising a date.",
)
PRIORITY_NOTES = {
    Priority.URGENT: "Raised to urgent: it blocks their whole team.",
    Priority.HIGH: "Raised to high: deadline this week.",
    Priority.LOW: "Lowered to low: a workaround exists.",
    Priority.NORMAL: "Back to normal priority after talking to the client.",
}
NEW_HIRES = ("Mia Lehmann", "Noah Williams", "Sara Ahmed", "Luca Bianchi")

# Thread shapes by number of replies after the opening message
# (p = provider, c = client; the last provider reply solves the ticket).
SHAPES = {
    1: ("p:fix",),
    2: ("p:fix", "c:thanks"),
    3: ("p:ask", "c:info", "p:fix"),
    4: ("p:ask", "c:info", "p:fix", "c:thanks"),
    5: ("p:ask", "c:info", "p:follow_up", "c:still", "p:fix"),
}
