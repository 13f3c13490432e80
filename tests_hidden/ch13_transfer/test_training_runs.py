"""Small-device run: fine-tuning the kit's pretrained backbone with the student's code beats training from scratch.

The probe builds the model with the student's ``build_finetune_model`` (the kit's backbone file),
``freeze_backbone`` and ``make_optimizer``, trains on the kit's Tiny ImageNet-format training split and
predicts held-out images generated here from a seed defined in this file (their labels never leave this
process). Thresholds come from the reference over 3 seeds on 2 CPU threads (bench/bench_transfer.py):
fine-tuned 3 epochs: see FINETUNE_SEEDS; from scratch, same data and epochs: see SCRATCH_SEEDS.
"""
import os

import numpy as np
import pytest

from grader.harness import check
from tests_hidden.ch13_transfer import probes as P

THREADS = int(os.environ.get("KIT_TRAIN_THREADS", "2"))
HELD_OUT_SEED = 31_337
HELD_OUT_PER_CLASS = 20
# make bench-transfer-qa (2 threads, idle machine): ~5 CPU s per fine-tuning run, ~8 CPU s from scratch
FINETUNE_SEEDS = {0: 0.255, 1: 0.245, 2: 0.295}  # reference, fine-tuned: seed -> held-out accuracy
SCRATCH_SEEDS = {0: 0.165, 1: 0.160, 2: 0.200}  # reference, from scratch, same epochs: seed -> held-out accuracy
MIN_ACCURACY = 0.22  # above every from-scratch run, below every fine-tuned one
TIMEOUT = 240


def held_out():
    return P.kitdata_module("tinyimagenet").generate_tiny_images(HELD_OUT_PER_CLASS, HELD_OUT_SEED)


@pytest.mark.slow
@pytest.mark.timeout(TIMEOUT + 300)
@pytest.mark.task("13.3", "13.4", "13.5")
def test_finetuning_beats_scratch_small_device(run):
    P.kitdata_module("tinyimagenet").pretrained_backbone()  # prepared here (trusted side), read by the probe
    images, labels = held_out()
    got = run(P.finetune_run, 0, images, True, threads=THREADS, timeout=TIMEOUT, **P.FINETUNE_RUN)
    predicted = np.asarray(got["predicted"])
    check.that(predicted.shape == labels.shape,
               {"zh": f"预测数量 {predicted.shape} 与留出图片 {labels.shape} 不符",
                "en": f"{predicted.shape} predictions for {labels.shape} held-out images"})
    accuracy = float(np.mean(predicted == labels))
    scratch_best = max(SCRATCH_SEEDS.values())
    check.that(accuracy >= MIN_ACCURACY,
               {"zh": f"用你的代码微调预训练骨干网络 {P.FINETUNE_RUN['epochs']} 轮后，留出集准确率 {accuracy:.3f}，需要 ≥ {MIN_ACCURACY}"
                      f"（从头训练同样轮数最多 {scratch_best:.3f}，随机猜测 0.10）",
                "en": f"fine-tuning the pretrained backbone with your code for {P.FINETUNE_RUN['epochs']} epochs: held-out "
                      f"accuracy {accuracy:.3f}; needs ≥ {MIN_ACCURACY} (from scratch, same epochs: at most {scratch_best:.3f}; chance 0.10)"})
