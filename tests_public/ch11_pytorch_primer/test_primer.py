"""Public tests for ch11_pytorch_primer (handout Appendix A): one or more per task, against the reference."""
import pytest
import torch

from grader.harness import check
from tests_public.ch11_pytorch_primer import probes as P


@pytest.mark.task("11.1")
def test_numpy_bridge(run, ref):
    got, want = run(P.bridge, [1.0, 2.0, 3.0]), ref(P.bridge, [1.0, 2.0, 3.0])
    check.equal(got["types"], want["types"], what="numpy_bridge: result types")
    for key in ("shared", "copied"):
        check.close(got[key], want[key], atol=0, rtol=0, what=f"numpy_bridge: {key}", check_dtype=True)
    check.close(got["shared_after"], want["shared_after"], atol=0, rtol=0,
                what="shared after the array changed (must share its memory)")
    check.close(got["copied_after"], want["copied_after"], atol=0, rtol=0,
                what="copied after the array changed (must be a copy)")


@pytest.mark.task("11.2")
def test_logistic_grads_handout_values(run, ref):
    got, want = run(P.grads, 1.1, 2.2, 0.0, 1.0), ref(P.grads, 1.1, 2.2, 0.0, 1.0)
    for key in ("loss", "grad_w1", "grad_b"):
        check.close(got[key], want[key], atol=1e-6, rtol=1e-5, what=f"logistic_grads: {key}")
    check.that(got["inputs_unchanged"] and got["inputs_need_no_grad"],
               {"zh": "logistic_grads 不能修改传入的张量（包括 requires_grad）", "en": "logistic_grads must not modify its input tensors (requires_grad included)"})


@pytest.mark.task("11.3")
def test_first_network(run, ref):
    check.equal(run(P.first_network_built, 10, 5, 1, 0), ref(P.first_network_built, 10, 5, 1, 0),
                what="first_network(10, 5, 1) after torch.manual_seed(0)")


@pytest.mark.task("11.4")
@pytest.mark.parametrize("kind,loss,lr", [("first", "mse", 0.01), ("circle", "bce", 0.1)])
def test_train_full_batch(run, ref, kind, loss, lr):
    g = torch.Generator().manual_seed(5)
    x = torch.randn(20, 6 if kind == "first" else 2, generator=g)
    y = (torch.rand(20, 1, generator=g) > 0.5).float()
    got, want = run(P.train_full, kind, 3, x, y, loss, 8, lr), ref(P.train_full, kind, 3, x, y, loss, 8, lr)
    check.close(got["losses"], want["losses"], atol=1e-6, rtol=1e-6, what="train_full_batch: losses per epoch")
    for key in want["state"]:
        check.close(got["state"][key], want["state"][key], atol=1e-6, rtol=1e-5, what=f"weights after training: {key}")


@pytest.mark.task("11.5")
def test_make_circle_data(run, ref):
    got, want = run(P.circle, 50, 3), ref(P.circle, 50, 3)
    check.equal(got["dtypes"], want["dtypes"], what="make_circle_data: dtypes")
    check.close(got["data"], want["data"], atol=0, rtol=0, what="make_circle_data: data")
    check.close(got["labels"], want["labels"], atol=0, rtol=0, what="make_circle_data: labels (shape (n, 1))")


@pytest.mark.task("11.6")
def test_simple_nn(run, ref):
    x = torch.randn(6, 2, generator=torch.Generator().manual_seed(1))
    got, want = run(P.simple_nn, 0, x), ref(P.simple_nn, 0, x)
    check.equal(got["children"], want["children"], what="SimpleNN: submodules")
    check.equal(got["params"], want["params"], what="SimpleNN: parameters in creation order")
    for key in want["state"]:
        check.close(got["state"][key], want["state"][key], atol=0, rtol=0,
                    what=f"SimpleNN initial weights after torch.manual_seed(0): {key} (fc1 first, then fc2)")
    check.close(got["out"], want["out"], atol=1e-6, rtol=1e-5, what="SimpleNN forward")


@pytest.mark.task("11.7")
def test_decision_grid(run, ref):
    data = torch.tensor([[-1.23, 0.31], [0.74, -0.52], [1.06, 1.38]])
    got, want = run(P.grid, 2, data, 0.1), ref(P.grid, 2, data, 0.1)
    for key in ("xx", "yy", "p"):
        check.close(got[key], want[key], atol=1e-6, rtol=1e-5, what=f"decision_grid: {key}")
    check.that(not got["requires_grad"], {"zh": "decision_grid 应在 torch.no_grad() 下计算", "en": "decision_grid must run under torch.no_grad()"})


@pytest.mark.task("11.8")
def test_toy_dataset_and_loaders(run, ref):
    X_train, y_train = torch.arange(10.0).reshape(5, 2), torch.tensor([0, 0, 0, 1, 1])
    X_test, y_test = -torch.arange(14.0).reshape(7, 2), torch.tensor([0, 1, 1, 0, 1, 0, 0])
    check.equal(run(P.dataset_items, X_train, y_train), ref(P.dataset_items, X_train, y_train), what="ToyDataset items")
    got, want = run(P.loaders, X_train, y_train, X_test, y_test, 2, 123), ref(P.loaders, X_train, y_train, X_test, y_test, 2, 123)
    check.equal(got, want, what="make_loaders: batches (train shuffled by the seed, last partial batch dropped; test in order)")


@pytest.mark.task("11.9")
def test_compute_accuracy(run, ref):
    X = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 4.0], [1.0, 0.0], [0.0, 1.0]])
    y = torch.tensor([0, 1, 1, 0, 0])
    got, want = run(P.accuracy, X, y, 2), ref(P.accuracy, X, y, 2)
    check.close(got["accuracy"], want["accuracy"], atol=1e-9, rtol=0, what="compute_accuracy")
    check.that(got["type"] == "float", {"zh": "compute_accuracy 应返回 Python float", "en": "compute_accuracy must return a Python float"})


@pytest.mark.task("11.10")
def test_save_and_load(run):
    got = run(P.save_load, 4)
    check.that(got["saved"] is not None, {"zh": "save_model 应用 torch.save 保存 state_dict", "en": "save_model must torch.save the state_dict"})
    check.equal(got["saved"], got["original"], what="the saved state_dict")
    check.equal(got["loaded"], got["original"], what="weights after load_model (bit-identical)")
    check.that(got["same_object"] and not got["training"],
               {"zh": "load_model 应把权重加载进传入的模型并返回它（eval 模式）", "en": "load_model must load into the given model and return it in eval mode"})
