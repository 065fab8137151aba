"""The Settings area (admins): people, organisations, teams, agreements, mailboxes,
surveys, API tokens and the queues' health, each page calling the owning app's
actions, which check the permission again."""
