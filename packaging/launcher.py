"""Entry script of the frozen bundle: PyInstaller runs this file as `__main__`.

It does what the `merlet-desk` console script does from a pip install: the command line, and
without a subcommand the GUI.
"""

import sys

from merlet_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
