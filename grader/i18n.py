"""Bilingual (zh/en) messages for everything a student or TA reads.

The language comes from ``set_lang`` (the ``--lang`` option), else ``GRADER_LANG``, else the
locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` starting with ``zh`` means Chinese), else English.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Optional

LANGS = ("zh", "en")
_lang: Optional[str] = None

MESSAGES: dict[str, dict[str, str]] = {
    # comparisons
    "shape": {"zh": "{what}: 形状不对：得到 {got}，应为 {want}", "en": "{what}: wrong shape: got {got}, expected {want}"},
    "shape.brief": {"zh": "{what}: 形状不对（得到 {got}）", "en": "{what}: wrong shape (got {got})"},
    "dtype": {"zh": "{what}: 数据类型不对：得到 {got}，应为 {want}", "en": "{what}: wrong dtype: got {got}, expected {want}"},
    "type": {"zh": "{what}: 类型不对：得到 {got}，应为 {want}", "en": "{what}: wrong type: got {got}, expected {want}"},
    "type.brief": {"zh": "{what}: 返回值类型不对（得到 {got}）", "en": "{what}: wrong return type (got {got})"},
    "close": {
        "zh": "{what}: 数值超出容差。形状 {shape}，{n_bad}/{n} 个元素不符；最大绝对误差 {max_abs:.3g}，"
        "最大相对误差 {max_rel:.3g}；最差位置 {index}：得到 {got_at}，应为 {want_at}；容差 atol={atol:g}, rtol={rtol:g}",
        "en": "{what}: values outside tolerance. Shape {shape}, {n_bad}/{n} elements differ; max abs error "
        "{max_abs:.3g}, max rel error {max_rel:.3g}; worst at {index}: got {got_at}, expected {want_at}; "
        "tolerance atol={atol:g}, rtol={rtol:g}",
    },
    "close.brief": {
        "zh": "{what}: {n_bad}/{n} 个元素超出容差（atol={atol:g}, rtol={rtol:g}）",
        "en": "{what}: {n_bad}/{n} elements outside tolerance (atol={atol:g}, rtol={rtol:g})",
    },
    "nan": {"zh": "{what}: NaN/Inf 的位置不对（位置 {index}）", "en": "{what}: NaN/Inf in the wrong place (at {index})"},
    "equal": {"zh": "{what}: 位置 {path} 不同：得到 {got}，应为 {want}", "en": "{what}: differs at {path}: got {got}, expected {want}"},
    "equal.brief": {"zh": "{what}: 结果与预期不同（位置 {path}）", "en": "{what}: result differs from the expected one (at {path})"},
    "length": {"zh": "{what}: 位置 {path} 的长度不对：得到 {got}，应为 {want}", "en": "{what}: wrong length at {path}: got {got}, expected {want}"},
    "keys": {"zh": "{what}: 键不对：缺少 {missing}，多出 {extra}", "en": "{what}: wrong keys: missing {missing}, unexpected {extra}"},
    "partial": {"zh": "{what}: 部分得分 {fraction:.0%}：{detail}", "en": "{what}: partial credit {fraction:.0%}: {detail}"},
    # test outcomes
    "todo": {"zh": "尚未实现（{detail}）", "en": "not implemented yet ({detail})"},
    "run.todo": {"zh": "这个程序用到了一个还没完成的任务：{detail}。先完成它（make test CH={chapter} 会告诉你下一步）。",
                 "en": "This program needs a task you have not done yet: {detail}. Do it first (make test CH={chapter} shows what is next)."},
    "raised": {"zh": "你的代码抛出了 {exc}: {msg}{where}", "en": "your code raised {exc}: {msg}{where}"},
    "raised.where": {"zh": "（{file} 第 {line} 行）", "en": " (at {file}, line {line})"},
    # summary table
    "table.title": {"zh": "{chapter}：任务进度", "en": "{chapter}: task progress"},
    "table.task": {"zh": "任务", "en": "Task"},
    "table.function": {"zh": "函数", "en": "Function"},
    "table.status": {"zh": "状态", "en": "Status"},
    "table.tests": {"zh": "测试", "en": "Tests"},
    "table.hint": {"zh": "提示", "en": "Hint"},
    "status.pass": {"zh": "✓ 完成", "en": "✓ done"},
    "status.fail": {"zh": "✗ 有错", "en": "✗ failing"},
    "status.todo": {"zh": "TODO", "en": "TODO"},
    "next": {"zh": "下一个任务：{task} {function} —— {hint}", "en": "Next task: {task} {function} — {hint}"},
    "all_done": {"zh": "{chapter} 的所有任务都通过了！🎉", "en": "Every task of {chapter} passes! 🎉"},
    "see_verbose": {"zh": "加 -v 查看完整的调用栈。", "en": "Add -v for full tracebacks."},
    # intake: an entry's status and the reason it is not gradable
    "intake.note": {"zh": "{status}：{reason}", "en": "{status}: {reason}"},
    "intake.status.ok": {"zh": "正常", "en": "ok"},
    "intake.status.ungradable": {"zh": "无法读取", "en": "ungradable"},
    "intake.status.empty": {"zh": "空提交", "en": "empty"},
    "intake.status.no chapter found": {"zh": "没有找到章节", "en": "no chapter found"},
    "intake.status.nested zip": {"zh": "压缩包套压缩包", "en": "nested zip"},
    "intake.status.clash": {"zh": "学号冲突", "en": "clash"},
    "intake.clash": {"zh": "{n} 个提交对应同一个学号 {student}：{names}；都不评分，请只保留一个（或用 --clash rename 分开评分）",
                     "en": "{n} entries have the id {student}: {names}; none is graded until only one is left "
                     "(or grade each apart with --clash rename)"},
    "intake.empty": {"zh": "提交里没有任何文件", "en": "the entry holds no files"},
    "intake.nested_zip": {"zh": "提交里是压缩包（{names}），而不是章节文件夹；请解压后再提交（只含一个 zip 的文件夹会直接读取这个 zip）",
                          "en": "the entry holds zip files ({names}) instead of chapter folders; unzip them "
                          "(a folder holding exactly one zip is read through it)"},
    "intake.deep": {"zh": "在 {where} 找到了 {found}（往下 {depth} 层）；章节文件夹应使用小写名称（如 ch01_game2048/），放在最外层或往下一层",
                    "en": "found {found} at {where} ({depth} folders down); chapter folders must be named in lower "
                    "case (like ch01_game2048/) and sit at the top or one folder down"},
    "intake.no_chapter.code": {"zh": "没有找到章节文件夹（如 ch01_game2048/），只找到这些代码文件：{names}；请提交整个章节文件夹",
                               "en": "no chapter folder (like ch01_game2048/) found, only these code files: {names}; "
                               "submit the whole chapter folder"},
    "intake.no_chapter.files": {"zh": "没有找到章节文件夹（如 ch01_game2048/），找到的文件：{names}",
                                "en": "no chapter folder (like ch01_game2048/) found; files found: {names}"},
    "intake.single_file": {"zh": "提交只是一个文件（{name}），不是文件夹或 .zip；请提交章节文件夹或它的 zip",
                           "en": "the entry is a single file ({name}), not a folder or a .zip; submit the chapter "
                           "folder or a zip of it"},
    "intake.link_entry": {"zh": "提交本身是一个链接", "en": "the entry is a link"},
    "intake.link": {"zh": "提交里有链接：{path}", "en": "link in submission: {path}"},
    "intake.special": {"zh": "提交里有特殊文件（设备、管道或套接字）：{path}",
                       "en": "special file (device, FIFO or socket) in submission: {path}"},
    "intake.unsafe": {"zh": "压缩包里有不安全的路径（绝对路径或含 ..）：{path}",
                      "en": "unsafe path in archive (absolute or with ..): {path}"},
    "intake.bad_name.empty": {"zh": "压缩包里有空文件名", "en": "a member of the archive has an empty name"},
    "intake.bad_name.control": {"zh": "文件名含控制字符：{path}", "en": "file name with a control character: {path}"},
    "intake.bad_name.long": {"zh": "文件名或路径太长：{path}", "en": "file name or path too long: {path}"},
    "intake.duplicate": {"zh": "同一个文件名出现了两次：{a}", "en": "the same file name appears twice: {a}"},
    "intake.same_name": {"zh": "{a} 和 {b} 只差大小写或 Unicode 形式，会被当成同一个文件",
                         "en": "{a} and {b} differ only in case or Unicode form and would be one file"},
    "intake.file_dir": {"zh": "{path} 既是文件又是文件夹", "en": "{path} is both a file and a folder"},
    "intake.too_many": {"zh": "文件太多（超过 {max} 个）", "en": "too many files (more than {max})"},
    "intake.too_large": {"zh": "提交太大（解压后超过 {mib} MiB）", "en": "submission too large (more than {mib} MiB uncompressed)"},
    "intake.bad_zip": {"zh": "{path} 不是可读取的 zip：{error}", "en": "{path} is not a readable zip: {error}"},
    "intake.corrupt": {"zh": "压缩包成员 {path} 已损坏：{error}", "en": "corrupt archive member {path}: {error}"},
    "intake.encrypted": {"zh": "压缩包成员 {path} 有密码保护", "en": "archive member {path} is encrypted (password-protected)"},
    "intake.unreadable": {"zh": "无法读取 {path}：{error}", "en": "cannot read {path}: {error}"},
}


def set_lang(lang: Optional[str]) -> None:
    """Fix the language for this process (``None`` returns to the default)."""
    if lang is not None and lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    global _lang
    _lang = lang


def default_lang(environ: Optional[Mapping[str, str]] = None) -> str:
    """``GRADER_LANG``, else the locale (LC_ALL, LC_MESSAGES, LANG, as POSIX ranks them) when it is
    Chinese, else English."""
    environ = os.environ if environ is None else environ
    env = environ.get("GRADER_LANG")
    if env in LANGS:
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def get_lang() -> str:
    """The language in force."""
    return _lang or default_lang()


def t(key: str, lang: Optional[str] = None, **params: object) -> str:
    """The message ``key`` in ``lang`` (default: the language in force), formatted with ``params``."""
    return MESSAGES[key][lang or get_lang()].format(**params)


def pick(text: "dict[str, str] | str", lang: Optional[str] = None) -> str:
    """One language out of a ``{"zh": ..., "en": ...}`` mapping (plain strings pass through)."""
    if isinstance(text, str):
        return text
    return text.get(lang or get_lang()) or next(iter(text.values()))
