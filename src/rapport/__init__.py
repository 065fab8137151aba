"""Rapport: service management for every relationship an organisation has."""

__version__ = "0.1.0"
