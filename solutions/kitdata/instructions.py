"""Instruction data for ch10_instruct (book ch. 7): the kit's generated set and the book's file.

* :func:`generate_instructions` — the kit's own instruction set, written from templates and word
  lists (no third-party text): ``[{"instruction", "input", "output"}]``, ``input`` empty for about
  half the entries, like the book's; deterministic for a given ``seed``;
* :func:`load_instruction_data` — the book's ``instruction-data.json`` (1,100 entries; see
  ``datasets/manifest/instruction-data.yaml``), downloaded, sha256-verified and cached by
  :mod:`kitdata.fetch` when possible; offline (``KIT_OFFLINE=1``) or unreachable, a bilingual note
  and the kit's generated set instead.

``python -m kitdata.instructions`` prints a few generated entries.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Callable, Optional

from kitdata import fetch

__all__ = ["generate_instructions", "load_instruction_data", "KIT_INSTRUCTIONS_SEED", "KIT_INSTRUCTIONS_SIZE"]

KIT_INSTRUCTIONS_SEED = 7
KIT_INSTRUCTIONS_SIZE = 1100  # as many entries as the book's file

NOUNS = ["apple", "river", "candle", "garden", "window", "pencil", "mountain", "basket", "ladder", "bridge",
         "kettle", "blanket", "harbor", "lantern", "meadow", "orchard", "pillow", "saddle", "tunnel", "violin",
         "wagon", "anchor", "button", "castle", "desert", "engine", "feather", "island", "jacket", "mirror",
         "needle", "planet", "rocket", "shovel", "teacup", "forest", "compass", "ribbon", "hammer", "cabinet"]
IRREGULAR_PLURALS = {"mouse": "mice", "child": "children", "foot": "feet", "tooth": "teeth", "goose": "geese",
                     "man": "men", "woman": "women", "person": "people", "leaf": "leaves", "knife": "knives",
                     "wolf": "wolves", "shelf": "shelves", "cactus": "cacti", "sheep": "sheep", "fish": "fish",
                     "box": "boxes", "bus": "buses", "city": "cities", "story": "stories", "potato": "potatoes"}
OPPOSITES = {"hot": "cold", "tall": "short", "early": "late", "full": "empty", "heavy": "light", "fast": "slow",
             "open": "closed", "rich": "poor", "loud": "quiet", "wet": "dry", "strong": "weak", "young": "old",
             "happy": "sad", "hard": "soft", "near": "far", "high": "low", "clean": "dirty", "brave": "afraid",
             "wide": "narrow", "sharp": "dull", "thick": "thin", "first": "last", "inside": "outside",
             "above": "below", "begin": "end", "push": "pull", "win": "lose", "buy": "sell", "remember": "forget",
             "arrive": "leave"}
SYNONYMS = {"big": "large", "quick": "rapid", "smart": "clever", "begin": "start", "shut": "close",
            "small": "little", "angry": "furious", "tired": "sleepy", "easy": "simple", "quiet": "silent",
            "glad": "happy", "shout": "yell", "gift": "present", "choose": "select", "rock": "stone",
            "friend": "companion", "odd": "strange", "wealthy": "rich", "unhappy": "sad", "finish": "complete"}
ANIMALS = {"dog": "mammal", "whale": "mammal", "bat": "mammal", "horse": "mammal", "rabbit": "mammal",
           "dolphin": "mammal", "eagle": "bird", "penguin": "bird", "sparrow": "bird", "owl": "bird",
           "parrot": "bird", "salmon": "fish", "trout": "fish", "shark": "fish", "tuna": "fish", "goldfish": "fish",
           "lizard": "reptile", "crocodile": "reptile", "turtle": "reptile", "snake": "reptile", "iguana": "reptile"}
CAPITALS = {"France": "Paris", "Japan": "Tokyo", "Italy": "Rome", "Spain": "Madrid", "Germany": "Berlin",
            "Canada": "Ottawa", "Egypt": "Cairo", "Kenya": "Nairobi", "Peru": "Lima", "Chile": "Santiago",
            "Norway": "Oslo", "Sweden": "Stockholm", "Greece": "Athens", "Portugal": "Lisbon", "Ireland": "Dublin",
            "Poland": "Warsaw", "Austria": "Vienna", "Thailand": "Bangkok", "Vietnam": "Hanoi", "Cuba": "Havana",
            "China": "Beijing", "India": "New Delhi", "Australia": "Canberra", "Brazil": "Brasilia",
            "Mexico": "Mexico City", "Argentina": "Buenos Aires", "Finland": "Helsinki", "Denmark": "Copenhagen"}
PAST_TENSE = {"walks": "walked", "carries": "carried", "sees": "saw", "paints": "painted", "finds": "found",
              "cleans": "cleaned", "opens": "opened", "builds": "built", "holds": "held", "moves": "moved",
              "fixes": "fixed", "draws": "drew", "sells": "sold", "brings": "brought", "washes": "washed"}
PEOPLE = ["The farmer", "My sister", "The baker", "Our teacher", "The child", "The sailor", "A neighbor",
          "The pilot", "The doctor", "His uncle"]
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _in_words(n: int) -> str:
    if n < 20:
        return ONES[n]
    return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])


def _entry(instruction: str, output: str, input_text: str = "") -> dict:
    return {"instruction": instruction, "input": input_text, "output": output}


def _add(rng: random.Random) -> dict:
    a, b = rng.randint(1, 60), rng.randint(1, 60)
    return _entry(f"What is {a} plus {b}?", f"{a} plus {b} is {a + b}.")


def _times(rng: random.Random) -> dict:
    a, b = rng.randint(2, 12), rng.randint(2, 12)
    return _entry(f"Calculate {a} times {b}.", f"{a} times {b} equals {a * b}.")


def _parity(rng: random.Random) -> dict:
    n = rng.randint(1, 400)
    return _entry(f"Is {n} an even or an odd number?", f"{n} is an {'even' if n % 2 == 0 else 'odd'} number.")


def _spell(rng: random.Random) -> dict:
    n = rng.randint(0, 99)
    return _entry(f"Write the number {n} in words.", f"{n} in words is {_in_words(n)}.")


def _capital(rng: random.Random) -> dict:
    country = rng.choice(sorted(CAPITALS))
    return _entry(f"What is the capital of {country}?", f"The capital of {country} is {CAPITALS[country]}.")


def _first_letter(rng: random.Random) -> dict:
    word = rng.choice(NOUNS)
    return _entry(f"What is the first letter of the word \"{word}\"?", f"The first letter of \"{word}\" is \"{word[0]}\".")


def _uppercase(rng: random.Random) -> dict:
    words = " ".join(rng.sample(NOUNS, rng.randint(1, 3)))
    return _entry("Convert the following text to uppercase.", words.upper(), words)


def _opposite(rng: random.Random) -> dict:
    pairs = sorted(OPPOSITES.items()) + sorted((v, k) for k, v in OPPOSITES.items())
    word, opposite = rng.choice(pairs)
    return _entry("Give the opposite of the following word.", f"The opposite of \"{word}\" is \"{opposite}\".", word)


def _synonym(rng: random.Random) -> dict:
    word = rng.choice(sorted(SYNONYMS))
    return _entry("Suggest a synonym for the following word.", f"A synonym for \"{word}\" is \"{SYNONYMS[word]}\".", word)


def _sort_numbers(rng: random.Random) -> dict:
    numbers = rng.sample(range(1, 100), rng.randint(3, 5))
    return _entry("Sort the following numbers from smallest to largest.", ", ".join(map(str, sorted(numbers))),
                  ", ".join(map(str, numbers)))


def _count_letters(rng: random.Random) -> dict:
    word = rng.choice(NOUNS + sorted(IRREGULAR_PLURALS))
    return _entry("Count the letters in the following word.", f"The word \"{word}\" has {len(word)} letters.", word)


def _plural(rng: random.Random) -> dict:
    if rng.random() < 0.5:
        word = rng.choice(sorted(IRREGULAR_PLURALS))
        plural = IRREGULAR_PLURALS[word]
    else:
        word = rng.choice(NOUNS)
        plural = word + "s"
    return _entry("Write the plural form of the following noun.", f"The plural of \"{word}\" is \"{plural}\".", word)


def _animal(rng: random.Random) -> dict:
    animal = rng.choice(sorted(ANIMALS))
    article = "An" if animal[0] in "aeiou" else "A"
    return _entry("Classify the following animal as a mammal, bird, fish or reptile.",
                  f"{article} {animal} is a {ANIMALS[animal]}.", animal)


def _past_tense(rng: random.Random) -> dict:
    who, verb, obj = rng.choice(PEOPLE), rng.choice(sorted(PAST_TENSE)), rng.choice(NOUNS)
    return _entry("Rewrite the following sentence in the past tense.", f"{who} {PAST_TENSE[verb]} the {obj}.",
                  f"{who} {verb} the {obj}.")


def _reverse_words(rng: random.Random) -> dict:
    words = rng.sample(NOUNS, rng.randint(3, 4))
    return _entry("Reverse the order of the following words.", " ".join(reversed(words)), " ".join(words))


TASKS: list[Callable[[random.Random], dict]] = [
    _add, _times, _parity, _spell, _capital, _first_letter,                      # no input
    _uppercase, _opposite, _synonym, _sort_numbers, _count_letters, _plural,     # with input
    _animal, _past_tense, _reverse_words,
]


def generate_instructions(n: int = KIT_INSTRUCTIONS_SIZE, seed: int = KIT_INSTRUCTIONS_SEED) -> list[dict]:
    """``n`` distinct instruction entries (``instruction``, ``input`` — ``""`` when none — ``output``).

    Each entry picks a task with ``random.Random(seed)`` and fills its template; duplicates are
    drawn again. The same ``n`` and ``seed`` always give the same list.
    """
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    out: list[dict] = []
    while len(out) < n:
        entry = rng.choice(TASKS)(rng)
        key = (entry["instruction"], entry["input"])
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def load_instruction_data(offline: Optional[bool] = None) -> list[dict]:
    """The book's ``instruction-data.json`` when it can be had, else the kit's generated set.

    The real file comes through :func:`kitdata.fetch.download` (cached, sha256-verified). When that
    returns ``None`` (offline, ``KIT_OFFLINE=1``, no network) this prints a bilingual note and returns
    :func:`generate_instructions` with the kit's defaults (1,100 entries).
    """
    path = fetch.download("instruction-data", offline=offline)
    if path is not None:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    fetch.say("未能获得书中的 instruction-data.json：改用课程包生成的指令数据集（1,100 条，原创模板）。",
              "the book's instruction-data.json is not available: using the kit's generated instruction set "
              "(1,100 entries from original templates).")
    return generate_instructions()


def _main() -> int:
    data = generate_instructions()
    with_input = sum(1 for e in data if e["input"])
    print(f"kit instruction set: {len(data)} entries, {with_input} with an input, {len(data) - with_input} without")
    for entry in data[:4]:
        print(json.dumps(entry, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
