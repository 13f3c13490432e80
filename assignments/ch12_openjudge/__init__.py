"""Chapter 12 — two OpenJudge problems (handout section 4) as stdin → stdout programs, graded like an online judge."""
