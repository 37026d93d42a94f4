import sys

from dropmc.cli import main

sys.exit(main())
