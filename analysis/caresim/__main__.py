"""`python3 -m caresim ...`: the command line (see caresim.cli)."""
import sys

from .cli import main

sys.exit(main())
