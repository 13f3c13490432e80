"""The trusted side of the online judge: verdicts from what ``probes.run_program`` reports.

Output is compared line by line with runs of whitespace collapsed and blank lines at the ends
ignored. Verdicts as OpenJudge says them, with the case's limits, in Chinese and English. For hidden
cases the message names the case and the verdict only: no input, no expected or actual output, no
stderr beyond the exception's name (a program could echo its input there).
"""
from __future__ import annotations

import re

from grader.harness import check
from tests_public.ch12_openjudge import probes as P

VERDICTS = {
    "AC": ("答案正确", "Accepted"),
    "WA": ("答案错误", "Wrong Answer"),
    "TLE": ("超出时间限制", "Time Limit Exceeded"),
    "MLE": ("超出内存限制", "Memory Limit Exceeded"),
    "RE": ("运行时错误", "Runtime Error"),
}


def normalise(text: str) -> list[str]:
    """Lines with internal whitespace collapsed; blank lines at the start and end dropped."""
    return [" ".join(line.split()) for line in text.strip().splitlines()]


def verdict(result: dict, expected: str, time_limit: float, memory_mb: int) -> str:
    """``AC`` / ``WA`` / ``TLE`` / ``MLE`` / ``RE`` (time first, as a judge that stops the clock)."""
    if result["killed_for_time"] or result["cpu"] > time_limit:
        return "TLE"
    if result["returncode"] != 0:
        out_of_memory = "MemoryError" in result["stderr"] or result["peak_mb"] >= 0.95 * memory_mb
        return "MLE" if out_of_memory else "RE"
    return "AC" if normalise(result["stdout"]) == normalise(expected) else "WA"


def _error_name(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    match = re.match(r"^([A-Za-z_][\w.]*)(:|$)", lines[-1]) if lines else None
    return match.group(1) if match else ""


def judge(run, module: str, case: str, stdin: str, expected: str, time_limit: float, memory_mb: int = 1024,
          public: bool = False, how: str = "main") -> dict:
    """Run one case through the sandboxed program and fail with the judge's verdict unless Accepted."""
    result = run(P.run_program, module, stdin, time_limit, memory_mb, how, timeout=3 * time_limit + 60)
    code = verdict(result, expected, time_limit, memory_mb)
    if code == "AC":
        return result
    zh, en = VERDICTS[code]
    used = f"{result['cpu']:.2f} s" if code != "TLE" or not result["killed_for_time"] else f"> {time_limit:g} s"
    peak = result["peak_mb"]
    ran = (f"{module}.main()" if how == "main"
           else f"python -m {P.CHAPTER}.{module} (main() run under if __name__ == '__main__')")
    head = {"zh": f"{ran} 用例 {case}：{zh}（{en}）。CPU 用时 {used}"
                  + (f"，峰值内存 {peak:.0f} MB" if peak >= 0 else "") + f"；限制：时间 {time_limit:g} s，内存 {memory_mb} MB。",
            "en": f"{ran} case {case}: {en}. CPU {used}" + (f", peak memory {peak:.0f} MB" if peak >= 0 else "")
                  + f"; limits: time {time_limit:g} s, memory {memory_mb} MB."}
    if code == "RE" and _error_name(result["stderr"]):
        head = {k: v + f" ({_error_name(result['stderr'])})" for k, v in head.items()}
    if not public:
        check.that(False, head)
    shown = stdin if len(stdin) <= 400 else stdin[:400] + " ..."
    got = result["stdout"] if len(result["stdout"]) <= 400 else result["stdout"][:400] + " ..."
    extra = {"zh": f"\n输入：\n{shown}\n期望输出：\n{expected}\n你的输出：\n{got}\n标准错误：\n{result['stderr'][-600:]}",
             "en": f"\ninput:\n{shown}\nexpected output:\n{expected}\nyour output:\n{got}\nstderr:\n{result['stderr'][-600:]}"}
    check.that(False, {k: head[k] + extra[k] for k in head})
    return result
