"""The product's logger: query times, refused builds and every error a user was shown."""

import logging
import sys

from sanqu import settings

log = logging.getLogger("sanqu")


def setup() -> logging.Logger:
    """Configure once: one stderr handler, the level from the settings."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s sanqu %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(settings.get("log_level").upper())
    return log
