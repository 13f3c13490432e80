"""Bilingual (zh/en) messages for everything a student or TA reads.

The language comes from ``set_lang`` (the ``--lang`` option), else ``GRADER_LANG``, else the
locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` starting with ``zh`` means Chinese), else English.
"""
from __future__ import annotations

import json
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
    "case": {"zh": "{call} 返回 {got}，应为 {want}", "en": "{call} returned {got}, expected {want}"},
    "partial": {"zh": "{what}: 部分得分 {fraction:.0%}：{detail}", "en": "{what}: partial credit {fraction:.0%}: {detail}"},
    # test outcomes
    "todo": {"zh": "尚未实现（{detail}）", "en": "not implemented yet ({detail})"},
    "run.todo": {"zh": "这个程序用到了一个还没完成的任务：{detail}。先完成它（make test CH={chapter} 会告诉你下一步）。",
                 "en": "This program needs a task you have not done yet: {detail}. Do it first (make test CH={chapter} shows what is next)."},
    "release.withheld": {"zh": "给定代码暂缓发布：它就是 {chapter} 任务 {task}（{function}）的答案，而这一章和本章同批发布。把你自己的 {function} 粘贴到这里，或等下一次发布补上。",
                         "en": "Given code withheld: it is the answer to {chapter} task {task} ({function}), released together with this chapter. Paste your own {function} here, or wait for the next release to fill it in."},
    "chapter_public_only": {"zh": "{chapter}：公开测试都通过了；隐藏测试不在这里（评分时才运行），所以还不能说全部完成",
                            "en": "{chapter}: the public tests pass; the hidden tests are not here (they run when graded), so not \"all done\" yet"},
    "raised": {"zh": "你的代码抛出了 {exc}: {msg}{where}", "en": "your code raised {exc}: {msg}{where}"},
    "grader_error": {"zh": "评分程序出错（不是你的问题，请告诉助教）：{exc}: {msg}",
                     "en": "grader error (not your fault; tell your TA): {exc}: {msg}"},
    "alone": {"zh": "每章单独评分：{chapter} 不能导入 {other}（一章只能用自己的模块和课程包给出的代码）",
              "en": "each chapter is graded alone: {chapter} cannot import {other} (a chapter may use only its own modules and the kit's given code)"},
    "timeout": {"zh": "{call} 在 {seconds:g} 秒内没有返回（停在 {file} 第 {line} 行）：是不是死循环？",
                "en": "{call} did not return within {seconds:g} s (it was at {file}, line {line}): an endless loop?"},
    "timeout.unknown": {"zh": "{seconds:g} 秒内没有返回：是不是死循环，或者太慢？",
                        "en": "no answer within {seconds:g} s: an endless loop, or too slow?"},
    "timeout.again": {"zh": "不再运行：这个检查用的探针在本次提交前面的检查中已经超时（{seconds:g} 秒）",
                      "en": "not run again: this check's probe already timed out ({seconds:g} s) in an earlier check of this submission"},
    "timeout.earlier": {"zh": "提前中止：{call} 在本次提交前面的检查中 {seconds:g} 秒内没有返回（停在 {file} 第 {line} 行），所以调用它的检查不再等待",
                        "en": "cut short: {call} did not return within {seconds:g} s in an earlier check of this submission (it was at {file}, line {line}), so checks that call it do not wait again"},
    "budget": {"zh": "没有运行：本次提交的评分时间（{seconds:g} 秒）已经用完",
               "en": "not run: the submission's time budget ({seconds:g} s) is used up"},
    # feedback (what a student reads)
    "fb.title": {"zh": "评分反馈", "en": "Grading feedback"},
    "fb.total": {"zh": "总分", "en": "Total"},
    "fb.test": {"zh": "测试", "en": "Test"},
    "fb.points": {"zh": "得分", "en": "Points"},
    "fb.message": {"zh": "说明", "en": "Message"},
    "fb.note": {"zh": "隐藏测试只显示名称、分数和简短原因。", "en": "Hidden tests show their name, points and a short reason only."},
    "fb.common": {"zh": "本章 {n} 个测试都因同一个问题未通过：", "en": "{n} tests of this chapter failed for one reason:"},
    "fb.see_above": {"zh": "同上", "en": "see above"},
    # the TA's report
    "rp.title": {"zh": "评分报告", "en": "Grading report"},
    "rp.meta": {"zh": "{n} 份提交 · 章节：{chapters} · 评分程序 {version} · 隔离：{isolation} · {when}",
                "en": "{n} submissions · chapters: {chapters} · grader {version} · isolation: {isolation} · {when}"},
    "rp.scores": {"zh": "分数", "en": "Scores"},
    "rp.stats": {"zh": "平均 {mean:.1f} · 中位数 {median:.1f} · 满分 {max:g} · 零分 {zeros} 人 · 无法评分 {ungradable} 人 · 评分程序出错 {errors} 项",
                 "en": "mean {mean:.1f} · median {median:.1f} · max {max:g} · zeros: {zeros} · ungradable: {ungradable} · grader errors: {errors}"},
    "rp.student": {"zh": "学生", "en": "Student"}, "rp.total": {"zh": "总分", "en": "Total"},
    "rp.status": {"zh": "状态", "en": "Status"}, "rp.seconds": {"zh": "秒", "en": "Seconds"},
    "rp.note": {"zh": "备注", "en": "Note"}, "rp.feedback": {"zh": "反馈", "en": "Feedback"},
    "rp.rates": {"zh": "各测试通过率（最难的在前；分母为提交了该章的学生）",
                 "en": "Pass rate per test (hardest first; over the students who submitted the chapter)"},
    "rp.test": {"zh": "测试", "en": "Test"}, "rp.rate": {"zh": "通过率", "en": "Passed"},
    "rp.of": {"zh": "{rate:.0f}%（{n} 人中）", "en": "{rate:.0f}% of {n}"},
    "rp.legend": {"zh": "绿色条：通过的比例（部分得分按比例计）", "en": "green bar: the share that passed (partial credit counts pro rata)"},
    "rp.similarity": {"zh": "相似度（按学生对，最高的在前）", "en": "Similarity (per pair of students, highest first)"},
    "rp.pair": {"zh": "学生对", "en": "Pair"}, "rp.files": {"zh": "文件", "en": "Files"},
    "rp.highest": {"zh": "最高", "en": "Highest"}, "rp.side": {"zh": "对照", "en": "Side by side"},
    "rp.no_pairs": {"zh": "没有超过阈值的学生对。", "en": "No pair above the threshold."},
    "rp.more_pairs": {"zh": "另有 {n} 对未列出（并排对照页只为最相似的 {pages} 对生成）。全部学生对：",
                      "en": "{n} more pairs are not listed (side-by-side pages are made for the {pages} most similar). Every pair:"},
    "rp.timings": {"zh": "用时", "en": "Timings"},
    "submit.need_id": {"zh": "请给出学号：make submit ID=2023001", "en": "Give your student id: make submit ID=2023001"},
    "submit.wrote": {"zh": "已写入 {path}（{size:.0f} KB，{n} 章）", "en": "wrote {path} ({size:.0f} KB, {n} chapters)"},
    "submit.todo": {"zh": "还有 TODO 任务：{tasks}", "en": "tasks still TODO: {tasks}"},
    "submit.complete": {"zh": "所有任务都已动手", "en": "no task left as TODO"},
    "submit.borrowed": {"zh": "✗ {where}：导入了另一章的包——评分时每章单独运行，这里会失败",
                        "en": "✗ {where}: imports another chapter's package; each chapter is graded alone, so this fails"},
    "submit.problem": {"zh": "✗ 评分程序无法按预期读取这个压缩包：{problem}", "en": "✗ the grader cannot read this zip as meant: {problem}"},
    "submit.ok": {"zh": "✓ 评分程序能读取 {path}：把它交给助教（按课程要求上传）。",
                  "en": "✓ the grader reads {path} as meant: hand it in (upload it as your course says)."},
    "row.not_submitted": {"zh": "未提交", "en": "not submitted"},
    "row.unreadable": {"zh": "无法评分（{status}）：{reason}", "en": "ungradable ({status}): {reason}"},
    "adj.late": {"zh": "迟交 {days} 天：扣除本章所得分数的 {percent}%", "en": "{days} day(s) late: {percent}% of the chapter's points taken off"},
    "adj.too_late": {"zh": "迟交 {days} 天，超过允许的 {max_days} 天：本章不得分", "en": "{days} day(s) late, more than the {max_days} allowed: the chapter scores 0"},
    "adj.manual": {"zh": "助教调整：{reason}", "en": "TA adjustment: {reason}"},
    "fb.adjustment": {"zh": "调整", "en": "Adjustment"},
    "row.gated": {"zh": "未通过规则检查 {gate}，本章不得分。", "en": "policy check {gate} failed, so this chapter scores 0."},
    "row.gate_undecided": {"zh": "评分程序出错（不是你的问题，请告诉助教）：规则检查 {gate} 没能运行，本章暂不计分，修复后重新评分。",
                           "en": "grader error (not your fault; tell your TA): policy check {gate} could not run, so this "
                                 "chapter is not scored until it is fixed and regraded."},
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
    "next": {"zh": "下一个任务：{task} {function}（{file}）—— {hint}", "en": "Next task: {task} {function} (in {file}) — {hint}"},
    "chapter_line": {"zh": "{chapter}：已完成 {done}/{n} 个任务（下一个：{task}）", "en": "{chapter}: {done}/{n} tasks done (next: {task})"},
    "chapter_partial": {"zh": "{chapter}：在本次运行的测试里 {done}/{n} 个任务通过；有测试没有运行，还不能算全部完成",
                        "en": "{chapter}: {done}/{n} tasks pass in the tests that ran; some tests did not run, so not \"all done\" yet"},
    "more_failing": {"zh": "……还有 {n} 个未通过的检查（加 -v 全部显示）", "en": "... and {n} more failing checks (-v shows them all)"},
    "all_done": {"zh": "{chapter} 的所有任务都通过了！🎉", "en": "Every task of {chapter} passes! 🎉"},
    "see_verbose": {"zh": "加 -v 查看完整的调用栈。", "en": "Add -v for full tracebacks."},
    # the quizzes (grader/quiz)
    "header": {"zh": "{title} · 共 {total} 题 · 随机种子 {seed}", "en": "{title} · {total} questions · seed {seed}"},
    "review_header": {"zh": "复习：上次没答对的 {total} 道题", "en": "Review: the {total} questions you missed"},
    "question": {"zh": "第 {n}/{total} 题", "en": "Question {n}/{total}"},
    "single": {"zh": "单选题", "en": "single choice"},
    "multiple": {"zh": "多选题", "en": "multiple choice"},
    "matching": {"zh": "连线题", "en": "matching"},
    "code_blanks": {"zh": "代码填空", "en": "code blanks"},
    "short": {"zh": "简答题", "en": "short answer"},
    "topic": {"zh": "主题：{topic}", "en": "Topic: {topic}"},
    "hint_single": {"zh": "输入一个字母，例如 b", "en": "Type one letter, e.g. b"},
    "hint_multiple": {"zh": "输入所有正确选项的字母，例如 ac 或 a,c", "en": "Type every letter that applies, e.g. ac or a,c"},
    "hint_matching": {
        "zh": "为每一项选一个字母，例如 1B 2A 3C（或按顺序只写字母：BAC）",
        "en": "Pick a letter for every item, e.g. 1B 2A 3C (or only the letters in order: BAC)",
    },
    "hint_code_blanks": {
        "zh": "为每个空选一个字母，例如 1A 2C（或按顺序只写字母：AC）",
        "en": "Pick a letter for every blank, e.g. 1A 2C (or only the letters in order: AC)",
    },
    "hint_short": {"zh": "用一行写下你的答案，然后与参考答案对照", "en": "Write your answer on one line, then compare it with the reference"},
    "prompt": {"zh": "你的答案：", "en": "Your answer: "},
    "self_assess": {"zh": "你的答案覆盖了这些要点吗？(y/n)：", "en": "Did your answer cover these key points? (y/n): "},
    "bad_empty": {"zh": "请输入答案。", "en": "Please type an answer."},
    "bad_one": {"zh": "只能选一个字母。", "en": "Pick exactly one letter."},
    "bad_label": {"zh": "没有这个选项：{labels}。", "en": "No such choice: {labels}."},
    "bad_slot": {"zh": "没有这一项：{labels}。", "en": "No such item: {labels}."},
    "bad_missing": {"zh": "还缺：{labels}。", "en": "Still missing: {labels}."},
    "bad_count": {"zh": "按顺序写字母时需要正好 {n} 个。", "en": "Letters in order need exactly {n} of them."},
    "bad_yes_no": {"zh": "请输入 y 或 n。", "en": "Please type y or n."},
    "correct": {"zh": "✓ 正确", "en": "✓ Correct"},
    "wrong": {"zh": "✗ 错误", "en": "✗ Wrong"},
    "quiz.partial": {"zh": "◐ 部分正确（{points} 分）", "en": "◐ Partly right ({points} points)"},
    "your_answer": {"zh": "你的答案：{answer}", "en": "Your answer: {answer}"},
    "no_answer": {"zh": "（未作答）", "en": "(no answer)"},
    "correct_answer": {"zh": "正确答案：{answer}", "en": "Correct answer: {answer}"},
    "completed_code": {"zh": "完整代码：", "en": "Completed code:"},
    "reference": {"zh": "参考答案", "en": "Reference answer"},
    "key_points": {"zh": "要点：", "en": "Key points:"},
    "explanation": {"zh": "解析", "en": "Explanation"},
    "score": {"zh": "得分：{score} / {max}（{pct}%）", "en": "Score: {score} / {max} ({pct}%)"},
    "all_right": {"zh": "全部答对，太棒了！", "en": "All right, well done!"},
    "missed": {"zh": "没答对：{ids}。加上 --review 重做这些题。", "en": "Missed: {ids}. Run again with --review to retake them."},
    "saved": {"zh": "本次记录已保存到 {path}", "en": "Attempt saved to {path}"},
    "aborted": {"zh": "\n测验已中断，本次记录未保存。", "en": "\nQuiz aborted; this attempt was not saved."},
    "review_none": {"zh": "没有需要复习的题：每道题最近一次都答对了。", "en": "Nothing to review: your latest answer to every question was right."},
    "review_no_history": {"zh": "还没有 {chapter} 的答题记录，请先完整做一遍。", "en": "No attempt at {chapter} recorded yet; take the full quiz first."},
    "report_header": {"zh": "{student} 的 {chapter} 答案", "en": "Answers of {student} for {chapter}"},
    "unknown_ids": {"zh": "答案文件里有题库中不存在的题号：{ids}", "en": "The answer file names questions that are not in the bank: {ids}"},
    "chapter_mismatch": {"zh": "答案文件写的是 {found}，不是 {chapter}", "en": "The answer file is for {found}, not {chapter}"},
    "duplicate_student": {"zh": "与 {other} 的学生相同", "en": "same student as {other}"},
    "unreadable": {"zh": "无法读取：{error}", "en": "unreadable: {error}"},
    "grade_written": {"zh": "已写入 {n} 名学生的成绩：{path}", "en": "Wrote grades of {n} students to {path}"},
    "grade_none": {"zh": "{folder} 中没有 *.yaml 答案文件。", "en": "No *.yaml answer files in {folder}."},
    "no_keys": {
        "zh": "这是计分测验，你拿到的题库不含答案。请把答案写进答案文件（格式见 quizzes/README.md）并提交。",
        "en": "This quiz is graded and your copy has no answer key. Write your answers in an answer file "
        "(format in quizzes/README.md) and hand it in.",
    },
    "banks": {"zh": "题库：{names}\n开始一个：make quiz CH=ch02（章节名前缀即可）",
              "en": "Quiz banks: {names}\nStart one with: make quiz CH=ch02 (a prefix of the chapter name is enough)"},
    "unknown_chapter": {"zh": "找不到题库“{chapter}”。可用的有：{names}", "en": "No quiz bank for '{chapter}'. Available: {names}"},
    "ambiguous_chapter": {"zh": "“{chapter}”可以指：{names}", "en": "'{chapter}' could mean: {names}"},
    "bad_bank": {"zh": "题库 {path} 有问题：", "en": "The quiz bank {path} has problems:"},
    "out_needs_grade": {"zh": "--out 只能和 --grade 一起用。", "en": "--out only applies with --grade."},
    "cannot_read": {"zh": "无法读取 {path}：{error}", "en": "Cannot read {path}: {error}"},
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
    "intake.notebook": {"zh": "{path} 不是可读取的课程笔记本：{error}", "en": "{path} is not a readable kit notebook: {error}"},
    "intake.notebook.empty": {"zh": "{path} 里没有以 %%kit_module 开头的模块单元格", "en": "{path} has no module cell (a cell starting with %%kit_module)"},
    "intake.notebook.twice": {"zh": "{path} 里 {module} 出现了两次", "en": "{path} holds {module} twice"},
    "intake.notebook.other": {"zh": "{path} 的单元格属于另一章：{module}", "en": "{path} has a cell of another chapter: {module}"},
    # notebooks (grader export nbgrader; the kernel side)
    "nb.intro": {"zh": "每个代码单元格就是本章的一个模块（第一行 `%%kit_module` 不要改）。在标有 TODO 的地方写代码，"
                       "运行模块单元格，再运行最后的检查单元格：它们在这个内核里运行课程包的公开测试，输出得到的分数。",
                 "en": "Each code cell is one module of the chapter (keep its first line, `%%kit_module`). Write your code "
                       "where a TODO says so, run the module cells, then the check cells at the end: they run the kit's "
                       "public tests in this kernel and show the points earned."},
    "nb.task": {"zh": "任务 {task}：`{function}`", "en": "Task {task}: `{function}`"},
    "nb.checks_title": {"zh": "检查", "en": "Checks"},
    "nb.checks_about": {"zh": "只读单元格，分值来自本章的评分细则。评分时还会运行隐藏测试和规则检查（未通过规则检查则本章不得分）。",
                        "en": "Read-only cells; the points come from the chapter's rubric. Grading also runs the hidden "
                              "tests and the policy checks (a failed policy check scores the chapter 0)."},
    "nb.checks": {"zh": "任务 {task} 的检查（{points:g} 分）", "en": "Checks of task {task} ({points:g} pt)"},
    "nb.no_public": {"zh": "这个任务没有公开测试：评分时运行它的隐藏测试。", "en": "This task has no public test: its hidden tests run when it is graded."},
    "nb.no_outcome": {"zh": "评分程序出错（不是你的问题，请告诉助教）：没有得到 {tests} 的结果",
                      "en": "grader error (not your fault; tell your TA): no result for {tests}"},
    "nb.bad_marker": {"zh": "%%kit_module 后面应是 <章节>/<模块>.py，而不是 {line!r}",
                      "en": "%%kit_module needs <chapter>/<module>.py, not {line!r}"},
    "export.written": {"zh": "已写入 nbgrader 课程 {out}（{n} 章，{changed} 个文件有变化）",
                       "en": "wrote the nbgrader course {out} ({n} chapters, {changed} files changed)"},
    "export.drift": {"zh": "{out} 与导出结果不一致（运行 python -m grader export nbgrader {out}）",
                     "en": "{out} differs from a fresh export (run python -m grader export nbgrader {out})"},
    "export.in_sync": {"zh": "{out} 与导出结果一致", "en": "{out} is in sync with a fresh export"},
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


def both(key: str, **params: object) -> dict[str, str]:
    """The message ``key`` in every language."""
    return {lang: t(key, lang, **params) for lang in LANGS}


def stored(text: "dict[str, str]") -> str:
    """A bilingual message as the gradebook stores it (JSON), so every report can pick its language later."""
    return json.dumps(text, ensure_ascii=False, sort_keys=True)


def shown(text: str, lang: Optional[str] = None) -> str:
    """A stored message in ``lang`` (plain strings from older gradebooks pass through)."""
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict):
            return pick(data, lang)
    return text


def pick(text: "dict[str, str] | str", lang: Optional[str] = None) -> str:
    """One language out of a ``{"zh": ..., "en": ...}`` mapping (plain strings pass through)."""
    if isinstance(text, str):
        return text
    return text.get(lang or get_lang()) or next(iter(text.values()))
