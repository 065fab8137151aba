# ruff: noqa: E501  (prose: one article or step per line reads better than wrapped strings)
"""The demo company's library: what Northwind Services has written down."""

from __future__ import annotations

# title, tags, body (Markdown), autonomy the review records
POLICIES: tuple[tuple[str, list[str], str, str], ...] = (
    (
        "Refunds",
        ["billing", "money"],
        """# Refunds

## Who may refund
Any agent may refund up to **50 EUR** per order without approval, by the same means the
customer paid.

## Larger refunds
Refunds above 50 EUR need the approval of the team lead, given within one working day.

## Timing
The customer hears the outcome within two working days of asking.
""",
        "Refund up to 50 EUR without approval.",
    ),
    (
        "Returns",
        ["logistics"],
        """# Returns

## Return window
Goods can be returned within 30 days of delivery, unused and in their packaging.

## Proof of purchase
The order number is enough; no paper receipt is needed.

## Return shipping
We pay return shipping for faulty or wrongly sent goods.
""",
        "Accept a return up to 45 days after delivery.",
    ),
    (
        "Warranty",
        ["repairs"],
        """# Warranty

## Cover
Hardware is covered for 24 months from delivery against manufacturing faults.

## Repair or replace
The agent chooses repair or replacement, whichever gets the customer working sooner.

## Loan units
A loan unit is sent when a repair will take more than five working days.
""",
        "Choose repair or replacement; send a loan unit.",
    ),
    (
        "Data protection requests",
        ["privacy", "legal"],
        """# Data protection requests

## Access and erasure
Requests to see or erase personal data are answered within 30 days.

## Identity
We confirm the requester's identity from the e-mail address we hold; we never ask for ID
documents by e-mail.

## Escalation
Anything unclear goes to the data protection officer the same day.
""",
        "Confirm identity and start the export without approval.",
    ),
    (
        "Escalation to a manager",
        ["escalation"],
        """# Escalation to a manager

## When
A customer who asks for a manager is offered one; the agent stays on the ticket.

## How fast
The manager calls back within four working hours.

## What the manager may do
Anything an agent may, plus refunds up to 500 EUR and goodwill credits.
""",
        "Offer a manager call-back on request.",
    ),
    (
        "Out-of-hours support",
        ["hours"],
        """# Out-of-hours support

## Cover
Urgent tickets of customers with 24×7 agreements are answered around the clock.

## Everyone else
Other tickets are answered from 08:00 the next working day; the auto-reply says so.
""",
        "Answer an urgent ticket out of hours for any customer.",
    ),
    (
        "Vendor engagement",
        ["vendors"],
        """# Vendor engagement

## Hand-offs
Work for a vendor is handed off in Rapport, so its underpinning contract's clocks run.

## Chasing
An agent chases a vendor at half the contract's response target, not later.

## Scorecards
Vendor scorecards are reviewed monthly with the vendor manager.
""",
        "Chase a vendor directly at half the response target.",
    ),
    (
        "Complaints",
        ["complaints"],
        """# Complaints

## Acknowledge
Every complaint is acknowledged within one working day by a person, not a template.

## Resolve
The agent who takes the complaint owns it until the customer agrees it is resolved.

## Learn
Each complaint gets a cause (policy, procedure, training, management, personnel).
""",
        "Offer a goodwill credit up to 30 EUR.",
    ),
)

# The returns policy's next version, which the customer-factor review stops.
RETURNS_STRICT = """# Returns

## Return window
Goods can be returned within 14 days of delivery, unused and in their packaging.

## Proof of purchase
Returns are accepted only with the original paper receipt. No exceptions.

## Return shipping
The customer pays return shipping in every case.
"""

# title, team key, tags, steps
PROCEDURES: tuple[tuple[str, str, list[str], list[str]], ...] = (
    (
        "Issue a refund",
        "billing",
        ["money"],
        [
            "Open the order in billing.",
            "Check the amount against the refunds policy.",
            "Refund to the original payment method.",
            "Reply with the refund reference.",
        ],
    ),
    (
        "Book a return",
        "logistics",
        ["returns"],
        [
            "Confirm the order number.",
            "Create the return label.",
            "Send the label and the packing steps.",
            "Tag the ticket `return`.",
        ],
    ),
    (
        "Open a warranty repair",
        "support",
        ["repairs"],
        [
            "Check the delivery date is within 24 months.",
            "Hand off to the repair vendor.",
            "Offer a loan unit if the repair takes over five days.",
        ],
    ),
    (
        "Answer a data access request",
        "support",
        ["privacy"],
        [
            "Confirm the requester's e-mail matches our records.",
            "Start the export in the admin console.",
            "Send the export link within 30 days.",
        ],
    ),
    (
        "Escalate to a manager",
        "support",
        ["escalation"],
        [
            "Tell the customer who will call and when.",
            "Hand off to the manager with a summary.",
            "Stay on the ticket until the call happened.",
        ],
    ),
    (
        "Handle an out-of-hours page",
        "it",
        ["hours"],
        [
            "Acknowledge the page within 15 minutes.",
            "Check the status page and monitoring.",
            "Reply to the customer with the next update time.",
        ],
    ),
    (
        "Hand work to a vendor",
        "support",
        ["vendors"],
        [
            "Choose the vendor with an agreement.",
            "Write what the vendor needs to know.",
            "Put the customer's ticket on hold if you wait.",
        ],
    ),
    (
        "Log a complaint",
        "support",
        ["complaints"],
        [
            "Flag the message as a complaint.",
            "Acknowledge personally within one working day.",
            "Agree the resolution with the customer.",
        ],
    ),
    (
        "Reset a customer password",
        "it",
        ["accounts"],
        [
            "Verify the requester from the address we hold.",
            "Send the reset link.",
            "Never read a password out on the phone.",
        ],
    ),
    (
        "Reissue an invoice",
        "billing",
        ["invoices"],
        [
            "Find the invoice by number.",
            "Correct the address or VAT number.",
            "Send the new invoice and void the old.",
        ],
    ),
    (
        "Arrange a courier pick-up",
        "logistics",
        ["courier"],
        [
            "Book the pick-up with the courier.",
            "Send the customer the time window.",
            "Track it until delivered.",
        ],
    ),
    (
        "Onboard a new customer",
        "support",
        ["onboarding"],
        [
            "Create the organisation and contacts.",
            "Attach the customer's agreement.",
            "Send the welcome pack with portal sign-in.",
        ],
    ),
)

# title, team key, tags, audience ("all", "contoso", "staff"), public, body
ARTICLES: tuple[tuple[str, str, list[str], str, bool, str], ...] = (
    (
        "How to reset your password",
        "it",
        ["accounts"],
        "all",
        True,
        "Open the sign-in page, choose **Forgot password** and follow the link we send you. The link works for one hour.",
    ),
    (
        "Track your order",
        "logistics",
        ["orders"],
        "all",
        True,
        "Your order confirmation has a tracking link. Couriers update it within four hours of pick-up.",
    ),
    (
        "Return an item",
        "logistics",
        ["returns"],
        "all",
        True,
        "Ask for a return from the portal with your order number. We send a label by e-mail.",
    ),
    (
        "Request a refund",
        "billing",
        ["money"],
        "all",
        False,
        "Raise a request to Billing with the order number. Refunds go back to the original payment method within five working days.",
    ),
    (
        "Warranty: what is covered",
        "support",
        ["repairs"],
        "all",
        True,
        "Hardware is covered for 24 months against manufacturing faults. Damage from drops or liquids is not covered.",
    ),
    (
        "Update your billing address",
        "billing",
        ["invoices"],
        "all",
        False,
        "Billing addresses are changed by Billing on request; invoices already issued can be reissued.",
    ),
    (
        "Download an invoice",
        "billing",
        ["invoices"],
        "all",
        False,
        "Invoices are attached to the request in which they were sent, and Billing can resend any of them.",
    ),
    (
        "Our support hours",
        "support",
        ["hours"],
        "all",
        True,
        "Customer Support answers 08:00–18:00 on working days; 24×7 customers are answered around the clock for urgent issues.",
    ),
    (
        "Ask for your personal data",
        "support",
        ["privacy"],
        "all",
        True,
        "Write to Customer Support from the address we hold. We send your data within 30 days.",
    ),
    (
        "Make a complaint",
        "support",
        ["complaints"],
        "all",
        True,
        "Tell us in a request what went wrong. A person acknowledges it within one working day.",
    ),
    (
        "Contoso: ordering through the B2B portal",
        "support",
        ["orders"],
        "contoso",
        False,
        "Contoso buyers order through the B2B portal with their single sign-on account.",
    ),
    (
        "Contoso: monthly statements",
        "billing",
        ["invoices"],
        "contoso",
        False,
        "Contoso receives one statement per month, on the first working day.",
    ),
    (
        "Router keeps rebooting",
        "it",
        ["network"],
        "all",
        False,
        "Update the router firmware to 2.1 or later. If it still reboots, unplug it for 30 seconds.",
    ),
    (
        "VPN does not connect",
        "it",
        ["network"],
        "all",
        False,
        "Check the time on your computer is correct; certificates fail when the clock is off.",
    ),
    (
        "Printer shows offline",
        "it",
        ["printing"],
        "all",
        False,
        "Restart the printer, then remove and add it again in the system settings.",
    ),
    (
        "Change the delivery address",
        "logistics",
        ["orders"],
        "all",
        False,
        "Before dispatch we can change the address; after dispatch ask the courier through the tracking link.",
    ),
    (
        "Damaged on arrival",
        "logistics",
        ["returns"],
        "all",
        False,
        "Photograph the box and the item and raise a request within 48 hours; we send a replacement.",
    ),
    (
        "Pay by bank transfer",
        "billing",
        ["money"],
        "all",
        False,
        "Use the invoice number as the reference so the payment is matched automatically.",
    ),
    (
        "Escalating your request",
        "support",
        ["escalation"],
        "all",
        False,
        "Ask your agent for a manager; a manager calls back within four working hours.",
    ),
    (
        "Agent tips: calming an upset customer",
        "support",
        ["complaints"],
        "staff",
        False,
        "Name the problem back to them, say what you will do and when, and do it.",
    ),
    (
        "Agent tips: writing a good hand-off",
        "support",
        ["vendors"],
        "staff",
        False,
        "Say what you need, by when, and what the customer was promised.",
    ),
    (
        "Agent tips: refunds over the limit",
        "billing",
        ["money"],
        "staff",
        False,
        "Ask your lead in the ticket; approval comes within one working day.",
    ),
    (
        "Agent tips: verifying identity",
        "it",
        ["accounts"],
        "staff",
        False,
        "Use the e-mail address on file; never ask for ID documents by e-mail.",
    ),
    (
        "Agent tips: out-of-hours pages",
        "it",
        ["hours"],
        "staff",
        False,
        "Acknowledge first, investigate second: the customer needs to know someone is on it.",
    ),
    (
        "Agent tips: courier claims",
        "logistics",
        ["courier"],
        "staff",
        False,
        "Open the claim with the courier the same day; photos are required.",
    ),
)
