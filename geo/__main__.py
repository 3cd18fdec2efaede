"""`python -m geo validate | summary | export` (run `python -m geo --help`); the commands live in geo.cli."""

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
