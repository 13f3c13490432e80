"""Public tests for ch03_iris (handout ``iris_neural_network.py``): one per task, against the reference."""
import pytest
import torch

from grader.harness import check
from tests_public.ch03_iris import probes as P


@pytest.mark.task("3.1")
def test_irisnet_structure_and_forward(run, ref):
    check.equal(run(P.model_structure, []), ref(P.model_structure, []), what="IrisNet()")
    torch.manual_seed(0)
    state = {"net.0.weight": torch.randn(10, 4), "net.0.bias": torch.randn(10),
             "net.2.weight": torch.randn(3, 10), "net.2.bias": torch.randn(3)}
    X = torch.randn(5, 4)
    check.close(run(P.model_forward, [], state, X), ref(P.model_forward, [], state, X), atol=1e-6, rtol=1e-5,
                what="IrisNet forward")


@pytest.mark.task("3.2")
def test_load_iris_split(run, ref):
    got, want = run(P.split), ref(P.split)
    check.equal(got["dtypes"], want["dtypes"], what="dtypes of X_train, X_test, y_train, y_test")
    for key in ("X_train", "X_test", "y_train", "y_test"):
        check.close(got[key], want[key], atol=1e-5, rtol=1e-5, what=key)


@pytest.mark.task("3.3")
def test_train_one_epoch(run, ref):
    torch.manual_seed(1)
    X, y = torch.randn(10, 4), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    got, want = run(P.train_epochs, "mlp", 3, X, y, 4, 0.1, 1), ref(P.train_epochs, "mlp", 3, X, y, 4, 0.1, 1)
    check.close(got["losses"], want["losses"], atol=1e-6, rtol=1e-5, what="train(): epoch loss")
    for key in want["state"]:
        check.close(got["state"][key], want["state"][key], atol=1e-6, rtol=1e-5, what=f"weights after train(): {key}")


@pytest.mark.task("3.4")
def test_evaluate(run, ref):
    torch.manual_seed(2)
    X, y = torch.randn(12, 4), torch.randint(0, 3, (12,))
    got, want = run(P.evaluate_run, "mlp", 4, X, y), ref(P.evaluate_run, "mlp", 4, X, y)
    check.close(got["accuracy"], want["accuracy"], atol=1e-6, rtol=0, what="evaluate(): accuracy")
    check.equal(got["predicted"].tolist(), want["predicted"].tolist(), what="evaluate(): predicted")


@pytest.mark.task("3.3")
def test_train_switches_to_train_mode(run, ref):
    torch.manual_seed(3)
    X, y = torch.randn(8, 4), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    got = run(P.train_epochs, "dropout", 3, X, y, 4, 0.1, 1)
    check.that(len(got["seen"]) > 0 and all(s["training"] for s in got["seen"]),
               {"zh": "train() 必须先调用 model.train()（模型交给它时处于 eval 模式，dropout 应打开）",
                "en": "train() must call model.train() first (the model arrives in eval mode; dropout must be on)"})
    want = ref(P.train_epochs, "dropout", 3, X, y, 4, 0.1, 1)
    check.close(got["losses"], want["losses"], atol=1e-6, rtol=1e-5, what="train() with dropout: epoch loss")


@pytest.mark.task("3.4")
def test_evaluate_in_eval_mode_without_grad(run, ref):
    torch.manual_seed(4)
    X, y = torch.randn(12, 4), torch.randint(0, 3, (12,))
    got = run(P.evaluate_run, "dropout", 4, X, y)
    check.that(len(got["seen"]) > 0 and not any(s["training"] for s in got["seen"]),
               {"zh": "evaluate() 必须调用 model.eval()（模型交给它时处于 train 模式，评估时 dropout 应关闭）",
                "en": "evaluate() must call model.eval() (the model arrives in train mode; dropout is off when evaluating)"})
    check.that(not any(s["grad"] for s in got["seen"]),
               {"zh": "evaluate() 应在 torch.no_grad() 下运行模型", "en": "evaluate() must run the model under torch.no_grad()"})
    want = ref(P.evaluate_run, "dropout", 4, X, y)
    check.equal(got["predicted"].tolist(), want["predicted"].tolist(), what="evaluate() with dropout: predicted")
