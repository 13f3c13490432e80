"""Self-check quizzes: bank schema and validation, the interactive runner, answer files and TA grading."""
from .schema import QuizError, load_bank, strip_answer_keys, validate_all, validate_bank

__all__ = ["QuizError", "load_bank", "strip_answer_keys", "validate_all", "validate_bank"]
