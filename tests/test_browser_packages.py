"""`make test` installs what the browser tests use when it may, and otherwise says what is missing and goes on."""
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "browser-packages.sh"


def run_with_only(tmp_path, commands: list[str]) -> subprocess.CompletedProcess:
    """The script with a PATH holding only `commands` (links to the machine's own)."""
    for command in commands:
        (tmp_path / command).symlink_to(shutil.which(command))
    return subprocess.run(["/bin/bash", str(SCRIPT)], env={"PATH": str(tmp_path)}, capture_output=True, text=True,
                          check=False)


def test_without_a_package_manager_it_names_what_is_missing_and_goes_on(tmp_path):
    done = run_with_only(tmp_path, ["id", "grep"])  # no fc-list, pdftoppm, apt-get or sudo
    assert done.returncode == 0
    assert "fonts-noto-cjk" in done.stderr and "poppler-utils" in done.stderr
    assert "browser tests will skip" in done.stderr and "installing" not in done.stderr

