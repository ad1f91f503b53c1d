"""An operator reads the log: loading the embedding model leaves no library noise in it."""

import os
import subprocess
import sys
from pathlib import Path


def test_a_cli_search_prints_only_its_answer(tmp_path: Path):
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "casebook.cli", "search", "schulden"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "Geen casussen gevonden."
    assert "LOAD REPORT" not in done.stderr and "UNEXPECTED" not in done.stderr
    assert "Loading weights" not in done.stderr
