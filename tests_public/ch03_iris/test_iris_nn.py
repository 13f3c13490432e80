"""Public tests for ch03_iris (handout ``iris_neural_network.py``): one per task, against the reference."""
import pytest
import torch

from grader.harness import check
from tests_public.ch03_iris import probes as P

KIT_MODEL = {"mlp": "a kit 4-8-3 MLP", "dropout": "a kit 4-16-3 MLP with Dropout(0.5)"}


def _train(kind: str, seed: int, X: torch.Tensor, batch_size: int, lr: float) -> str:
    return (f"model = {KIT_MODEL[kind]} (torch.manual_seed({seed})), in eval mode; train(model, loader, "
            f"CrossEntropyLoss(), SGD(lr={lr}), 'cpu'), loader of X of shape {tuple(X.shape)} in batches of "
            f"{batch_size}, unshuffled")


def _evaluate(kind: str, seed: int, X: torch.Tensor) -> str:
    return (f"model = {KIT_MODEL[kind]} (torch.manual_seed({seed})), in train mode; evaluate(model, X, y, 'cpu'), "
            f"X of shape {tuple(X.shape)}")


@pytest.mark.task("3.1")
def test_irisnet_structure_and_forward(run, ref):
    got, want = run(P.model_structure, []), ref(P.model_structure, [])
    check.cases(["IrisNet().net: the layer types", "IrisNet().state_dict(): the parameter shapes"],
                [got["types"], got["shapes"]], [want["types"], want["shapes"]])
    torch.manual_seed(0)
    state = {"net.0.weight": torch.randn(10, 4), "net.0.bias": torch.randn(10),
             "net.2.weight": torch.randn(3, 10), "net.2.bias": torch.randn(3)}
    X = torch.randn(5, 4)
    called = ("model = IrisNet(); model.load_state_dict(weights drawn after torch.manual_seed(0)); "
              "model(X), X = torch.randn(5, 4) drawn next")
    check.cases([called], [run(P.model_forward, [], state, X)], [ref(P.model_forward, [], state, X)],
                check.close, atol=1e-6, rtol=1e-5)


@pytest.mark.task("3.2")
def test_load_iris_split(run, ref):
    got, want = run(P.split), ref(P.split)
    called = "X_train, X_test, y_train, y_test = load_iris_split(test_size=0.2, random_state=42)"
    keys = ("X_train", "X_test", "y_train", "y_test")
    check.cases([f"{called}: their dtypes"], [got["dtypes"]], [want["dtypes"]])
    check.cases([f"{called}: {key}" for key in keys], [got[key] for key in keys], [want[key] for key in keys],
                check.close, atol=1e-5, rtol=1e-5)


@pytest.mark.task("3.3")
def test_train_one_epoch(run, ref):
    torch.manual_seed(1)
    X, y = torch.randn(10, 4), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    got, want = run(P.train_epochs, "mlp", 3, X, y, 4, 0.1, 1), ref(P.train_epochs, "mlp", 3, X, y, 4, 0.1, 1)
    called = _train("mlp", 3, X, 4, 0.1)
    check.cases([f"{called}: the epoch loss"], [got["losses"]], [want["losses"]], check.close, atol=1e-6, rtol=1e-5)
    check.entries(f"{called}; model.state_dict()", got["state"], want["state"], check.close, atol=1e-6, rtol=1e-5)


@pytest.mark.task("3.4")
def test_evaluate(run, ref):
    torch.manual_seed(2)
    X, y = torch.randn(12, 4), torch.randint(0, 3, (12,))
    got, want = run(P.evaluate_run, "mlp", 4, X, y), ref(P.evaluate_run, "mlp", 4, X, y)
    called = _evaluate("mlp", 4, X)
    check.cases([f"{called}: the accuracy"], [got["accuracy"]], [want["accuracy"]], check.close, atol=1e-6, rtol=0)
    check.cases([f"{called}: the predicted classes"], [got["predicted"].tolist()], [want["predicted"].tolist()])


@pytest.mark.task("3.3")
def test_train_switches_to_train_mode(run, ref):
    torch.manual_seed(3)
    X, y = torch.randn(8, 4), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    got = run(P.train_epochs, "dropout", 3, X, y, 4, 0.1, 1)
    called = _train("dropout", 3, X, 4, 0.1)
    check.that(len(got["seen"]) > 0 and all(s["training"] for s in got["seen"]),
               {"zh": f"{called}：train() 必须先调用 model.train()（模型交给它时处于 eval 模式，dropout 应打开）",
                "en": f"{called}: train() must call model.train() first (the model arrives in eval mode; dropout must be on)"})
    want = ref(P.train_epochs, "dropout", 3, X, y, 4, 0.1, 1)
    check.cases([f"{called}: the epoch loss"], [got["losses"]], [want["losses"]], check.close, atol=1e-6, rtol=1e-5)


@pytest.mark.task("3.4")
def test_evaluate_in_eval_mode_without_grad(run, ref):
    torch.manual_seed(4)
    X, y = torch.randn(12, 4), torch.randint(0, 3, (12,))
    got = run(P.evaluate_run, "dropout", 4, X, y)
    called = _evaluate("dropout", 4, X)
    check.that(len(got["seen"]) > 0 and not any(s["training"] for s in got["seen"]),
               {"zh": f"{called}：evaluate() 必须调用 model.eval()（模型交给它时处于 train 模式，评估时 dropout 应关闭）",
                "en": f"{called}: evaluate() must call model.eval() (the model arrives in train mode; dropout is off when "
                      "evaluating)"})
    check.that(not any(s["grad"] for s in got["seen"]),
               {"zh": f"{called}：evaluate() 应在 torch.no_grad() 下运行模型",
                "en": f"{called}: evaluate() must run the model under torch.no_grad()"})
    want = ref(P.evaluate_run, "dropout", 4, X, y)
    check.cases([f"{called}: the predicted classes"], [got["predicted"].tolist()], [want["predicted"].tolist()])
