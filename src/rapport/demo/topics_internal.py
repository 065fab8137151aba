"""What colleagues, vendors and contractors write in the demo: IT, logistics, hosting,
courier, on-site and repair topics."""

from __future__ import annotations

from rapport.demo.topics import Topic

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
