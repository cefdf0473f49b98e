"""`python -m merlet_desk` runs the command line (and, without a subcommand, the GUI)."""

import sys

from merlet_desk.cli import main

sys.exit(main())
