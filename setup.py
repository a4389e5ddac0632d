"""Packaging that pyproject.toml cannot say: find the code packages, and carry the top-level
templates/ and migrations/ folders inside the package as tracker.templates and
tracker.migrations (tests/integration/test_wheel.py installs a wheel and proves it).
"""

from setuptools import find_packages, setup

RESOURCE_PACKAGES = {
    "tracker.templates": "templates",
    "tracker.migrations": "migrations",
    "tracker.migrations.versions": "migrations/versions",
}

setup(
    packages=[*find_packages(include=["tracker", "tracker.*"]), *RESOURCE_PACKAGES],
    package_dir=RESOURCE_PACKAGES,
)
