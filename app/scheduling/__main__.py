"""`python -m app.scheduling INSTANCE.json [-o RESULT.json] [--time-limit S]`."""

import sys

from app.scheduling.cli import main

sys.exit(main())
