import sys

from ygmon.cli import main

sys.exit(main())
