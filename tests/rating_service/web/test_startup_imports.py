"""The web app starts without the statistics libraries: scikit-learn and scipy (about a second of import) are
imported by the validation functions that use them, not when the app is imported."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sklearn", "scipy")


def test_importing_the_web_app_leaves_sklearn_and_scipy_unimported():
    probe = ("import json, sys\n"
             "import rating_service.web.app\n"
             f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
