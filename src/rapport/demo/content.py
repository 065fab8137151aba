"""Who the demo organisation is: its teams, people, customers and vendors, their
calendars and agreements. What they write is in `topics.py`, `topics_internal.py`
and `phrases.py`.
"""

from __future__ import annotations

from typing import Any

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

# Customers at risk of leaving: many breaches, angry messages and low ratings (the
# proactive app scores them). Fabrikam clearly, Tailspin on the way.
AT_RISK = ("fabrikam",)
SOURING = ("tailspin",)
