"""The SQLite database backend of Rapport: Django's, with a fair share of the write lock."""
