"""Settings for the test suite: background jobs run in process, right after commit."""

import os

os.environ.setdefault("JOBS", "immediate")

from shubbak.settings import *  # noqa: F403
