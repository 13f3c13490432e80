"""Public tests for ch11_pytorch_primer (handout Appendix A): one or more per task, against the reference."""
import pytest
import torch

from grader.harness import check
from tests_public.ch11_pytorch_primer import probes as P


KIT_MODEL = {"first": "a kit 6-5-1 MLP", "circle": "a kit 2-4-1 MLP"}  # Linear, ReLU, Linear, Sigmoid


@pytest.mark.task("11.1")
def test_numpy_bridge(run, ref):
    got, want = run(P.bridge, [1.0, 2.0, 3.0]), ref(P.bridge, [1.0, 2.0, 3.0])
    called = "shared, copied = numpy_bridge(array), array = np.array([1.0, 2.0, 3.0])"
    check.cases([f"{called}: type(shared), type(copied)"], [got["types"]], [want["types"]])
    check.cases([f"{called}: {key}" for key in ("shared", "copied")], [got["shared"], got["copied"]],
                [want["shared"], want["copied"]], check.close, atol=0, rtol=0, check_dtype=True)
    check.cases([f"{called}; array += 100: shared (must share the array's memory)",
                 f"{called}; array += 100: copied (must be a copy)"], [got["shared_after"], got["copied_after"]],
                [want["shared_after"], want["copied_after"]], check.close, atol=0, rtol=0)


@pytest.mark.task("11.2")
def test_logistic_grads_handout_values(run, ref):
    got, want = run(P.grads, 1.1, 2.2, 0.0, 1.0), ref(P.grads, 1.1, 2.2, 0.0, 1.0)
    called = "loss, grad_w1, grad_b = logistic_grads(torch.tensor(1.1), torch.tensor(2.2), torch.tensor(0.0), torch.tensor(1.0))"
    keys = ("loss", "grad_w1", "grad_b")
    check.cases([f"{called}: {key}" for key in keys], [got[key] for key in keys], [want[key] for key in keys],
                check.close, atol=1e-6, rtol=1e-5)
    check.that(got["inputs_unchanged"] and got["inputs_need_no_grad"],
               {"zh": f"{called}：logistic_grads 不能修改传入的张量（包括 requires_grad）",
                "en": f"{called}: logistic_grads must not modify its input tensors (requires_grad included)"})


@pytest.mark.task("11.3")
def test_first_network(run, ref):
    got, want = run(P.first_network_built, 10, 5, 1, 0), ref(P.first_network_built, 10, 5, 1, 0)
    called = "torch.manual_seed(0); model = first_network(10, 5, 1)"
    check.cases([f"{called}: isinstance(model, nn.Sequential)", f"{called}: the layer types"],
                [got["is_sequential"], got["types"]], [want["is_sequential"], want["types"]])
    check.entries(f"{called}; model.state_dict()", got["state"], want["state"])


@pytest.mark.task("11.4")
@pytest.mark.parametrize("kind,loss,lr", [("first", "mse", 0.01), ("circle", "bce", 0.1)])
def test_train_full_batch(run, ref, kind, loss, lr):
    g = torch.Generator().manual_seed(5)
    x = torch.randn(20, 6 if kind == "first" else 2, generator=g)
    y = (torch.rand(20, 1, generator=g) > 0.5).float()
    got, want = run(P.train_full, kind, 3, x, y, loss, 8, lr), ref(P.train_full, kind, 3, x, y, loss, 8, lr)
    called = (f"model = {KIT_MODEL[kind]} (torch.manual_seed(3)); train_full_batch(model, x, y, "
              f"{'MSELoss()' if loss == 'mse' else 'BCELoss()'}, 8, {lr}), x random of shape {tuple(x.shape)}, "
              "y random 0/1 labels")
    check.cases([f"{called}: the loss of each epoch"], [got["losses"]], [want["losses"]], check.close, atol=1e-6, rtol=1e-6)
    check.entries(f"{called}; model.state_dict()", got["state"], want["state"], check.close, atol=1e-6, rtol=1e-5)


@pytest.mark.task("11.5")
def test_make_circle_data(run, ref):
    got, want = run(P.circle, 50, 3), ref(P.circle, 50, 3)
    called = "torch.manual_seed(999); data, labels = make_circle_data(50, 3)"
    check.cases([f"{called}: data.dtype, labels.dtype"], [got["dtypes"]], [want["dtypes"]])
    check.cases([f"{called}: data", f"{called}: labels (shape (n, 1))"], [got["data"], got["labels"]],
                [want["data"], want["labels"]], check.close, atol=0, rtol=0)


@pytest.mark.task("11.6")
def test_simple_nn(run, ref):
    x = torch.randn(6, 2, generator=torch.Generator().manual_seed(1))
    got, want = run(P.simple_nn, 0, x), ref(P.simple_nn, 0, x)
    called = "torch.manual_seed(0); model = SimpleNN()"
    check.cases([f"{called}: model.named_children() (name, type)",
                 f"{called}: model.named_parameters() (name, shape) in creation order"],
                [got["children"], got["params"]], [want["children"], want["params"]])
    check.entries(f"{called} (fc1 made first, then fc2); model.state_dict()", got["state"], want["state"], check.close,
                  atol=0, rtol=0)
    check.cases([f"{called}; model(x), x random of shape {tuple(x.shape)}"], [got["out"]], [want["out"]],
                check.close, atol=1e-6, rtol=1e-5)


@pytest.mark.task("11.7")
def test_decision_grid(run, ref):
    data = torch.tensor([[-1.23, 0.31], [0.74, -0.52], [1.06, 1.38]])
    got, want = run(P.grid, 2, data, 0.1), ref(P.grid, 2, data, 0.1)
    called = f"xx, yy, p = decision_grid(model, {check.show(data)}, 0.1), model = {KIT_MODEL['circle']} (torch.manual_seed(2))"
    keys = ("xx", "yy", "p")
    check.cases([f"{called}: {key}" for key in keys], [got[key] for key in keys], [want[key] for key in keys],
                check.close, atol=1e-6, rtol=1e-5)
    check.that(not got["requires_grad"], {"zh": f"{called}：decision_grid 应在 torch.no_grad() 下计算",
                                          "en": f"{called}: decision_grid must run under torch.no_grad()"})


@pytest.mark.task("11.8")
def test_toy_dataset_and_loaders(run, ref):
    X_train, y_train = torch.arange(10.0).reshape(5, 2), torch.tensor([0, 0, 0, 1, 1])
    X_test, y_test = -torch.arange(14.0).reshape(7, 2), torch.tensor([0, 1, 1, 0, 1, 0, 0])
    data = ("X_train = torch.arange(10.0).reshape(5, 2), y_train = torch.tensor([0, 0, 0, 1, 1]), "
            "X_test = -torch.arange(14.0).reshape(7, 2), y_test = torch.tensor([0, 1, 1, 0, 1, 0, 0])")
    check.cases([f"dataset = ToyDataset(X_train, y_train): len(dataset) and [dataset[i] for i in range(len(dataset))], {data}"],
                [run(P.dataset_items, X_train, y_train)], [ref(P.dataset_items, X_train, y_train)])
    got, want = run(P.loaders, X_train, y_train, X_test, y_test, 2, 123), ref(P.loaders, X_train, y_train, X_test, y_test, 2, 123)
    called = f"train_loader, test_loader = make_loaders(X_train, y_train, X_test, y_test, batch_size=2, seed=123), {data}"
    check.cases([f"{called}: the batches of two passes over train_loader (shuffled by the seed, last partial batch dropped)",
                 f"{called}: the batches of test_loader (in order)"], [got["train"], got["test"]], [want["train"], want["test"]])


@pytest.mark.task("11.9")
def test_compute_accuracy(run, ref):
    X = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 4.0], [1.0, 0.0], [0.0, 1.0]])
    y = torch.tensor([0, 1, 1, 0, 0])
    got, want = run(P.accuracy, X, y, 2), ref(P.accuracy, X, y, 2)
    called = (f"compute_accuracy(model, loader), loader of X = {check.show(X)}, y = {check.show(y)} in batches of 2, "
              "model a kit stand-in (in train mode) whose logits are X after Dropout(0.5)")
    check.cases([called], [got["accuracy"]], [want["accuracy"]], check.close, atol=1e-9, rtol=0)
    check.that(got["type"] == "float", {"zh": f"{called} 应返回 Python float（得到 {got['type']}）",
                                        "en": f"{called} must return a Python float (got {got['type']})"})


@pytest.mark.task("11.10")
def test_save_and_load(run):
    got = run(P.save_load, 4)
    called = (f"model = {KIT_MODEL['circle']} (torch.manual_seed(4)); save_model(model, path); "
              f"loaded = load_model(fresh, path), fresh = {KIT_MODEL['circle']} (torch.manual_seed(5)) in train mode")
    check.that(got["saved"] is not None, {"zh": f"{called}：save_model 应用 torch.save 保存 state_dict",
                                          "en": f"{called}: save_model must torch.save the state_dict"})
    check.entries(f"{called} (expected: model's weights); torch.load(path)", got["saved"], got["original"])
    check.entries(f"{called} (expected: model's weights, bit-identical); loaded.state_dict()", got["loaded"], got["original"])
    check.that(got["same_object"] and not got["training"],
               {"zh": f"{called}：load_model 应把权重加载进传入的模型并返回它（eval 模式）",
                "en": f"{called}: load_model must load into the given model and return it in eval mode"})
