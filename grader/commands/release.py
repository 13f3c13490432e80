"""``grader release [--check] [--student-dist DIR]``."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from grader.release import build


def release(check: bool = False, student_dist: Optional[str] = None, chapters: Sequence[str] = ()) -> int:
    """Write (or with ``check``, compare) the skeleton; optionally write and leak-check the student dist
    (of ``chapters``, all by default)."""
    if check:
        problems = build.differences()
        for p in problems:
            print(p)
        print("release --check:", "assignments/ is out of date (run `make release`)" if problems else "in sync")
        if problems:
            return 1
    else:
        changed = build.write()
        print(f"release: {len(changed)} file(s) written or removed")
    if student_dist:
        from grader.release import dist

        leaks, withheld = dist.write_student_dist(Path(student_dist), list(chapters))
        for note in withheld:
            print("withheld:", note)
        for leak in leaks:
            print("LEAK:", leak)
        print(f"student dist: {student_dist} ({'LEAKS FOUND' if leaks else 'no leaks'})")
        return 1 if leaks else 0
    return 0
