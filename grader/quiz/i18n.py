"""Student-facing strings in Chinese and English, and the choice of language."""
from __future__ import annotations

from collections.abc import Mapping

from grader.i18n import default_lang

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
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
    "partial": {"zh": "◐ 部分正确（{points} 分）", "en": "◐ Partly right ({points} points)"},
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
}


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """The kit's default language (``GRADER_LANG``, else the locale)."""
    return default_lang(environ)


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, formatted with `values`."""
    return MESSAGES[key][lang].format(**values)
