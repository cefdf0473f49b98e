"""Helpers shared by the tests, one module per kind: the clock (`clock`), the window and its
sections (`window`), typing as a user does (`keyboard`), PDFs (`pdf`), data several test
modules set up (`builders`), whether a screen fits (`fit`), the real program in a child process
(`processes`), a real X session with a taskbar (`screen`), sample photos (`photos`), the
program's imports read from its source (`source`), a key store of the test's own and the test
key (`keystore`) and a bare connection through the program's SQLite library (`sqlite`). A test
module imports from here (or uses a conftest fixture), never from another test module. The
first six are re-exported here; the others are imported by name (they pull in pytest's skips,
OpenCV, keyring)."""

from tests.helpers.builders import *  # noqa: F403
from tests.helpers.clock import *  # noqa: F403
from tests.helpers.fit import *  # noqa: F403
from tests.helpers.keyboard import *  # noqa: F403
from tests.helpers.pdf import *  # noqa: F403
from tests.helpers.window import *  # noqa: F403
