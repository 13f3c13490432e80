"""Fine-tuning a GPT for classification (book ch. 6): spam or not spam.

The data is a ``pandas.DataFrame`` with columns ``Label`` ("ham" / "spam") and ``Text``. You balance
it, split it, turn it into padded token ids, put a two-class head on a pretrained GPT, and train only
the last transformer block, the final norm and the new head. The model reads the whole message, but
only the **last token's** output is used: thanks to causal attention it is the one position that has
seen every token.
"""
from __future__ import annotations

from typing import Optional

import torch
from torch import nn
from torch.utils.data import Dataset

__all__ = ["create_balanced_dataset", "random_split", "SpamDataset", "add_classification_head",
           "calc_accuracy_loader", "calc_loss_batch", "calc_loss_loader", "evaluate_model",
           "train_classifier_simple", "classify_review"]

LABELS = {"ham": 0, "spam": 1}


def create_balanced_dataset(df):
    """As many "ham" rows as there are "spam" rows: ``df[df["Label"] == "ham"].sample(n_spam, random_state=123)``,
    followed by all the "spam" rows (``pd.concat``, original index kept)."""
    # TODO 9.1: 先数出 spam 的条数，再从 ham 中用 sample(条数, random_state=123) 抽样，最后 pd.concat([ham 子集, 全部 spam])
    #   count the spam rows, sample that many ham rows with sample(n, random_state=123), then pd.concat([ham subset, all spam])
    raise NotImplementedError("TODO 9.1: create_balanced_dataset")


def random_split(df, train_frac: float, validation_frac: float):
    """Shuffle all rows (``df.sample(frac=1, random_state=123)``, index reset), then slice:
    the first ``int(len * train_frac)`` rows train, the next ``int(len * validation_frac)`` validation,
    the rest test. Returns ``(train_df, validation_df, test_df)``."""
    # TODO 9.2: df.sample(frac=1, random_state=123).reset_index(drop=True) 打乱；train_end = int(len * train_frac)，validation_end = train_end + int(len * validation_frac)
    #   shuffle with df.sample(frac=1, random_state=123).reset_index(drop=True); train_end = int(len * train_frac), validation_end = train_end + int(len * validation_frac)
    raise NotImplementedError("TODO 9.2: random_split")


class SpamDataset(Dataset):
    """Messages as equal-length token ids, with labels 0 (ham) / 1 (spam).

    ``data`` is a CSV path (read with ``pandas.read_csv``) or a DataFrame with ``Text`` and ``Label``
    (strings "ham"/"spam" or already 0/1). Each text is ``tokenizer.encode(text)``. With ``max_length``
    given, longer texts are cut to it; without, ``max_length`` becomes the longest encoded text. Every
    text is then padded on the right with ``pad_token_id`` to ``max_length`` (kept as ``self.max_length``).
    ``dataset[i]`` is ``(ids, label)``, two ``torch.long`` tensors.
    """

    def __init__(self, data, tokenizer, max_length: Optional[int] = None, pad_token_id: int = 50256) -> None:
        # TODO 9.3: 路径就用 pd.read_csv 读入；标签是字符串时用 {"ham": 0, "spam": 1} 映射；先编码，max_length 为 None 时取最长长度，否则截断；最后在右边补 pad_token_id
        #   read a path with pd.read_csv; map string labels with {"ham": 0, "spam": 1}; encode, take the longest length when max_length is None or else truncate; finally pad on the right with pad_token_id
        raise NotImplementedError("TODO 9.3: SpamDataset.__init__")

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        # TODO 9.3: 路径就用 pd.read_csv 读入；标签是字符串时用 {"ham": 0, "spam": 1} 映射；先编码，max_length 为 None 时取最长长度，否则截断；最后在右边补 pad_token_id
        #   read a path with pd.read_csv; map string labels with {"ham": 0, "spam": 1}; encode, take the longest length when max_length is None or else truncate; finally pad on the right with pad_token_id
        raise NotImplementedError("TODO 9.3: SpamDataset.__getitem__")

    def __len__(self) -> int:
        # TODO 9.3: 路径就用 pd.read_csv 读入；标签是字符串时用 {"ham": 0, "spam": 1} 映射；先编码，max_length 为 None 时取最长长度，否则截断；最后在右边补 pad_token_id
        #   read a path with pd.read_csv; map string labels with {"ham": 0, "spam": 1}; encode, take the longest length when max_length is None or else truncate; finally pad on the right with pad_token_id
        raise NotImplementedError("TODO 9.3: SpamDataset.__len__")

    def _longest_encoded_length(self) -> int:
        # TODO 9.3: 路径就用 pd.read_csv 读入；标签是字符串时用 {"ham": 0, "spam": 1} 映射；先编码，max_length 为 None 时取最长长度，否则截断；最后在右边补 pad_token_id
        #   read a path with pd.read_csv; map string labels with {"ham": 0, "spam": 1}; encode, take the longest length when max_length is None or else truncate; finally pad on the right with pad_token_id
        raise NotImplementedError("TODO 9.3: SpamDataset._longest_encoded_length")


def add_classification_head(model: nn.Module, num_classes: int = 2) -> nn.Module:
    """Prepare a pretrained GPT for classification, in place (and return it).

    Freeze every parameter; replace ``model.out_head`` by ``nn.Linear(E, num_classes)`` (with a bias;
    its random initial weights come from the global torch seed the caller set); make the last
    transformer block (``model.trf_blocks[-1]``) and ``model.final_norm`` trainable again.
    """
    # TODO 9.4: 所有参数 requires_grad = False；新建 nn.Linear(E, num_classes) 作为 out_head（新层默认可训练）；再把最后一个块和 final_norm 的参数设为 requires_grad = True
    #   set requires_grad = False on every parameter; a new nn.Linear(E, num_classes) as out_head (trainable by default); then requires_grad = True for the last block and final_norm
    raise NotImplementedError("TODO 9.4: add_classification_head")


def calc_accuracy_loader(data_loader, model: nn.Module, device, num_batches: Optional[int] = None) -> float:
    """The share of correctly classified examples in the first ``min(num_batches, len(data_loader))``
    batches (all when ``None``). The model runs in eval mode without gradients; the predicted class
    is the ``argmax`` of the **last token's** logits."""
    # TODO 9.5: model.eval()；逐批 to(device)，torch.no_grad() 下取 model(x)[:, -1, :]，argmax 得到预测；统计答对的个数和样本总数
    #   model.eval(); per batch, .to(device), then model(x)[:, -1, :] under torch.no_grad(), argmax for the prediction; count the correct ones and the examples
    raise NotImplementedError("TODO 9.5: calc_accuracy_loader")


def calc_loss_batch(input_batch: torch.Tensor, target_batch: torch.Tensor, model: nn.Module, device) -> torch.Tensor:
    """The cross-entropy of the **last token's** logits against the class labels (a scalar tensor
    that keeps its graph, so the training loop can call ``backward()`` on it)."""
    # TODO 9.6: 两个张量都 .to(device)；logits = model(input_batch)[:, -1, :]；返回 F.cross_entropy(logits, target_batch)
    #   move both to device; logits = model(input_batch)[:, -1, :]; return F.cross_entropy(logits, target_batch)
    raise NotImplementedError("TODO 9.6: calc_loss_batch")


def calc_loss_loader(data_loader, model: nn.Module, device, num_batches: Optional[int] = None) -> float:
    """Mean of :func:`calc_loss_batch` over the first ``min(num_batches, len(data_loader))`` batches
    (all when ``None``); ``nan`` for an empty loader. Given code (book listing 6.8)."""
    if len(data_loader) == 0:
        return float("nan")
    num_batches = len(data_loader) if num_batches is None else min(num_batches, len(data_loader))
    total_loss = 0.0
    for i, (input_batch, target_batch) in enumerate(data_loader):
        if i >= num_batches:
            break
        total_loss += calc_loss_batch(input_batch, target_batch, model, device).item()
    return total_loss / num_batches


def evaluate_model(model: nn.Module, train_loader, val_loader, device, eval_iter: int) -> tuple[float, float]:
    """Training and validation loss on ``eval_iter`` batches each, in eval mode without gradients;
    the model is back in train mode afterwards. Given code (as in book ch. 5)."""
    model.eval()
    with torch.no_grad():
        train_loss = calc_loss_loader(train_loader, model, device, num_batches=eval_iter)
        val_loss = calc_loss_loader(val_loader, model, device, num_batches=eval_iter)
    model.train()
    return train_loss, val_loss


def train_classifier_simple(model: nn.Module, train_loader, val_loader, optimizer, device, num_epochs: int,
                            eval_freq: int, eval_iter: int):
    """The book's classifier training loop (listing 6.10).

    For each epoch: ``model.train()``; for each batch: zero the gradients, :func:`calc_loss_batch`,
    ``backward()``, ``optimizer.step()``, add the batch size to ``examples_seen``, count the step
    (``global_step`` starts at -1, so the first step is 0) and, every ``eval_freq`` steps (when
    ``global_step % eval_freq == 0``), append :func:`evaluate_model`'s two losses. After each epoch,
    append :func:`calc_accuracy_loader` on ``eval_iter`` batches of each loader.
    Returns ``(train_losses, val_losses, train_accs, val_accs, examples_seen)``.
    """
    # TODO 9.7: 与第 5 章的训练循环相同，只是 examples_seen 累加 input_batch.shape[0]；每个 epoch 结束时用 calc_accuracy_loader(..., num_batches=eval_iter) 记录两个准确率
    #   the ch. 5 loop, except that examples_seen adds input_batch.shape[0]; at each epoch's end record both accuracies with calc_accuracy_loader(..., num_batches=eval_iter)
    raise NotImplementedError("TODO 9.7: train_classifier_simple")


def classify_review(text: str, model: nn.Module, tokenizer, device, max_length: Optional[int] = None,
                    pad_token_id: int = 50256) -> str:
    """"spam" or "not spam" for one message.

    Encode ``text``; cut the ids to ``min(max_length, context length)`` (the context length is
    ``model.pos_emb.weight.shape[0]``; with ``max_length=None``, cut to the context length); when
    ``max_length`` is given, pad on the right with ``pad_token_id`` to ``max_length``. Run the model
    in eval mode without gradients on the batch of one, take the last position's logits: class 1 is
    "spam".
    """
    # TODO 9.8: 截断长度 = min(max_length, 上下文长度)（max_length 为 None 时就是上下文长度）；补齐后 unsqueeze(0) 成一批；最后一个位置的 argmax 为 1 就是 "spam"
    #   cut to min(max_length, context length) (the context length when max_length is None); pad, unsqueeze(0) into a batch; argmax 1 at the last position means "spam"
    raise NotImplementedError("TODO 9.8: classify_review")
