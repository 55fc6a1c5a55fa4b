"""The product's logger: query times, refused builds and every error a user was shown."""

import logging
import sys

from sanqu import settings

log = logging.getLogger("sanqu")


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (not the one of the first setup: a test's
    captured stream is closed after it, and the next test would log into a closed file)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        return None


def setup() -> logging.Logger:
    """Configure once: one stderr handler, the level from the settings."""
    if not log.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s sanqu %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(settings.get("log_level").upper())
    return log
