#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_iku.settings")
    from django.core.management import execute_from_command_line

    from sop_iku.environment import MisconfiguredEnvironment

    try:
        execute_from_command_line(sys.argv)
    except MisconfiguredEnvironment as problem:
        # A variable missing or wrong (sop_iku/environment.py): its one sentence, not a traceback
        # ending in it, and a non-zero exit for systemd and a timer.
        sys.exit(str(problem))
