"""Locations the builder uses by default. A leaf module: it imports nothing from the package."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGE = REPO_ROOT / "datapackage" / "datapackage.json"
CONFIG_FILE = REPO_ROOT / "mkdocs.yml"
SITE_SOURCE = REPO_ROOT / "site_src"
TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = Path(__file__).resolve().parent / "assets"  # scripts and fonts the site serves
# Beside a package's datapackage.json:
RELEASES_FOLDER = "releases"  # frozen releases, one folder per version
NOTES_FOLDER = "release-notes"  # maintainers' notes and errata, one VERSION.md per release
