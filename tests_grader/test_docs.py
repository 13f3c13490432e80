"""The contracts live in the repo (docs/CHAPTERS.md, docs/GRADING.md) and stay in step with the course's
shared spec wherever a checkout has one beside the kit (``../shared/spec``)."""
import pytest

from grader import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "spec"


@pytest.mark.parametrize("name", ["CHAPTERS.md", "GRADING.md"])
def test_contract_in_the_repo_matches_the_shared_spec(name):
    ours = (REPO_ROOT / "docs" / name).read_text(encoding="utf-8")
    assert "## " in ours and "../shared" not in ours.split("-->", 1)[1]
    if not (SHARED / name).is_file():
        pytest.skip("no ../shared/spec beside this checkout: docs/ is the contract")
    assert ours.split("-->", 1)[1].strip() == (SHARED / name).read_text(encoding="utf-8").strip()


def test_docs_do_not_send_readers_outside_the_repo():
    for path in [REPO_ROOT / "README.md", *(REPO_ROOT / "docs").glob("*.md")]:
        assert "../shared/" not in path.read_text(encoding="utf-8").split("-->", 1)[-1], path
