"""The harness's own pieces: codec, markers, comparisons, trees, outcomes."""
import math

import numpy as np
import pytest
import torch

from grader.harness import check, codec
from grader.harness.outcomes import ProbeError, classify
from grader.release.markers import MarkerError, find_regions, strip_solutions

SOURCE = '''
def f(x):
    """Doc."""
    ### BEGIN SOLUTION 3.1
    ### zh: 中文提示
    ### en: a hint
    return x + 1
    ### END SOLUTION


class A:
    def g(self):
        ### BEGIN SOLUTION 3.2
        return 2
        ### END SOLUTION
'''


def test_codec_roundtrip_keeps_types():
    value = {"i": 2**70, "f": 1.5, "nan": float("nan"), "t": (1, "a"), "l": [None, True],
             "a": np.arange(6, dtype=np.int16).reshape(2, 3), "x": torch.ones(2, dtype=torch.float32)}
    back = codec.roundtrip(value)
    assert back["i"] == 2**70 and back["t"] == (1, "a") and math.isnan(back["nan"])
    assert back["a"].dtype == np.int16 and back["a"].shape == (2, 3)
    assert isinstance(back["x"], torch.Tensor) and back["x"].dtype == torch.float32
    assert codec.fingerprint(value) == codec.fingerprint(back)


def test_codec_keeps_zero_dim_arrays():
    back = codec.roundtrip({"a": np.array(1.5), "t": torch.tensor(2.0)})
    assert back["a"].shape == () and tuple(back["t"].shape) == ()


@pytest.mark.parametrize("bad", [object(), {1: 2}, np.array(["s"]), np.array([object()])])
def test_codec_rejects_non_plain_data(bad):
    with pytest.raises(codec.CodecError):
        codec.encode(bad)


def test_codec_refuses_pickles_and_garbage():
    import io
    import pickle

    buf = io.BytesIO()
    np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    for blob in (b"garbage", pickle.dumps({"ok": 1}), buf.getvalue()):
        with pytest.raises(codec.CodecError):
            codec.decode(blob)


def test_subclass_equality_is_lost_in_transit():
    class Yes(list):
        def __eq__(self, other):
            return True

    back = codec.roundtrip(Yes([1]))
    assert type(back) is list and back != [2]


def test_markers_become_stubs_with_hints():
    regions = find_regions(SOURCE)
    assert [(r.task, r.function) for r in regions] == [("3.1", "f"), ("3.2", "A.g")]
    skeleton = strip_solutions(SOURCE, {})
    assert "return x + 1" not in skeleton and "return 2" not in skeleton
    assert 'raise NotImplementedError("TODO 3.1: f")' in skeleton and "# TODO 3.1: 中文提示" in skeleton
    assert '"""Doc."""' in skeleton
    namespace: dict = {}
    exec(skeleton, namespace)
    with pytest.raises(NotImplementedError, match="TODO 3.2"):
        namespace["A"]().g()


@pytest.mark.parametrize("source", [
    "### BEGIN SOLUTION 1.1\nx = 1\n### END SOLUTION\n",            # not inside a function
    "def f():\n    ### BEGIN SOLUTION\n    pass\n    ### END SOLUTION\n",  # no task id
    "def f():\n    ### BEGIN SOLUTION 1.1\n    pass\n",                   # no END
])
def test_bad_markers_are_refused(source):
    with pytest.raises(MarkerError):
        find_regions(source)


def test_close_reports_where_and_by_how_much():
    want = np.zeros((2, 3))
    got = want.copy()
    got[1, 2] = 0.5
    with pytest.raises(check.CheckFailure) as info:
        check.close(got, want, atol=1e-3, rtol=0, what="out")
    detail, brief = info.value.detail("en"), info.value.brief("en")
    assert "(1, 2)" in detail and "0.5" in detail and "atol=0.001" in detail
    assert "0.5" not in brief and "1/6" in brief
    assert "容差" in info.value.detail("zh")


def test_close_checks_shape_and_nan():
    with pytest.raises(check.CheckFailure, match="shape"):
        check.close(np.zeros(3), np.zeros(4))
    with pytest.raises(check.CheckFailure):
        check.close([float("nan")], [0.0])
    check.close([float("nan"), 1.0], [float("nan"), 1.0 + 1e-9])


def test_equal_names_the_first_difference():
    with pytest.raises(check.CheckFailure) as info:
        check.equal({"a": [1, 2]}, {"a": [1, 3]}, what="r")
    assert "['a'][1]" in info.value.detail("en")
    with pytest.raises(check.CheckFailure):
        check.equal(True, 1)


def test_cases_name_the_call_and_its_function():
    called = "model = a kit MLP (torch.manual_seed(3)); train(model, loader): the loss"
    with pytest.raises(check.CheckFailure) as info:
        check.cases(["f(1)", called], [1, [0.5]], [1, [0.25]], check.close, atol=0, rtol=0)
    detail, brief = info.value.detail("en"), info.value.brief("en")
    assert detail.startswith(f"{called} returned [0.5], expected [0.25]") and "\n  train: values outside" in detail
    assert brief.startswith("train: 1/1 elements") and "0.25" not in brief
    with pytest.raises(check.CheckFailure) as info:
        check.entries("m.state_dict()", {"w": torch.ones(2), "b": torch.zeros(1)}, {"w": torch.ones(2), "b": torch.ones(1)})
    assert info.value.detail("en").startswith("m.state_dict()['b'] returned [0.]")


def test_partial_credit_fraction():
    with pytest.raises(check.PartialCredit) as info:
        check.partial(0.75, "AI", {"zh": "最大 1024", "en": "max 1024"})
    status, fraction, detail, _ = classify(info.value)
    assert (status, fraction) == ("fail", 0.75) and "75%" in detail["en"]
    check.partial(1.0, "AI", "fine")


def test_classify_todo_and_errors():
    assert classify(NotImplementedError("TODO 1.1: f"))[0] == "todo"
    assert classify(ProbeError("NotImplementedError", "TODO 1.1", todo=True))[0] == "todo"
    status, _, detail, _ = classify(ProbeError("ZeroDivisionError", "boom", "ch01_game2048/ai.py", 7))
    assert status == "error" and "ai.py" in detail["en"] and "7" in detail["en"]
