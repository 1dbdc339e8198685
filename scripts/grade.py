"""Grade collected submissions with the hidden tests (`make grade SUBMISSIONS=DIR`).

    python scripts/grade.py collected/2026-05-04T170000Z     # writes grades.csv and feedback.md files there

How: after_mosul/grading.py. Needs `make assignments` first (the autograders).
"""

import sys

from after_mosul.grading import main

if __name__ == "__main__":
    sys.exit(main())
