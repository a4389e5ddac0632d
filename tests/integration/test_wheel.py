"""A wheel carries everything the app needs: templates, migrations, config.py, assets, catalogue."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds and installs the wheel

ROOT = Path(__file__).resolve().parents[2]

# Runs in a folder with only the installed wheel on the path (no checkout).
SMOKE = """
import sys
sys.path.insert(0, sys.argv[1])
import config, tracker
from flask_migrate import upgrade
assert tracker.__file__.startswith(sys.argv[1]), tracker.__file__
settings = type("WheelConfig", (config.TestConfig,), {
    "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[2],
    "INSTANCE_PATH": sys.argv[3],
})
app = tracker.create_app(settings)
with app.app_context():
    upgrade()
page = app.test_client().get("/login")
assert page.status_code == 200 and "Log ind" in page.get_data(as_text=True), page.status_code
print("wheel ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' scratch copy of the tree
    return next(out.glob("fristsporing-*.whl"))


def test_the_wheel_holds_every_package_and_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {
        str(path.parent.relative_to(ROOT))
        for path in (ROOT / "tracker").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    for package in packages:
        assert f"{package}/__init__.py" in names, f"{package} missing from the wheel (see setup.py)"
    for resource in (
        "config.py",
        "tracker/templates/base.html",
        "tracker/templates/email/alert.txt",
        "tracker/migrations/env.py",
        "tracker/migrations/alembic.ini",
        "tracker/cases/action_cards_default.toml",
        "tracker/translations/da/LC_MESSAGES/messages.mo",
        "tracker/static/vendor/dkfds/css/dkfds.min.css",
    ):
        assert resource in names, resource
    versions = {p.name for p in (ROOT / "migrations/versions").glob("*.py")}
    assert {f"tracker/migrations/versions/{v}" for v in versions} <= names


def test_the_installed_wheel_migrates_and_serves_in_danish(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", SMOKE, str(target), str(tmp_path / "w.db"), str(tmp_path / "i")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "wheel ok" in result.stdout
