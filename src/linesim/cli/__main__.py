"""``python -m linesim.cli``."""

import sys

from . import main

sys.exit(main())
