"""Grade collected submissions with the hidden tests (`make grade SUBMISSIONS=DIR`).

    python -m book.grade collected/2026-05-04T170000Z     # writes grades.csv and feedback.md files there

How: book/grading.py. Needs `make assignments` first (the autograders).
"""

import sys

from book.grading import main

if __name__ == "__main__":
    sys.exit(main())
