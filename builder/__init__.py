"""Build a report site and dataset releases from a Frictionless data package."""

__version__ = "0.1.0"
