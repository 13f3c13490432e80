"""SMS spam for chapter 9: the real UCI SMS Spam Collection online, a generated look-alike offline.

* :func:`load_sms_spam` — a ``pandas.DataFrame`` with columns ``Label`` ("ham" / "spam") and
  ``Text``: the UCI SMS Spam Collection (5,574 messages, 747 spam; the book's URL, see
  ``datasets/manifest/sms-spam-collection.yaml``) when it can be downloaded and verified, otherwise
  (offline, ``KIT_OFFLINE=1``, no network, or its checksum not yet trusted) a note and
  :func:`generate_sms_spam` instead;
* :func:`generate_sms_spam` — messages the kit writes from its own templates and word lists
  (original text; deterministic for a seed; about 13% spam, like the real collection).

No sha256 of the real file could be pinned when the kit was built, so its first download needs
trust on first use (``KIT_TRUST_NEW=1`` or ``trust_new=True``; see :mod:`kitdata.fetch`).
``python -m kitdata.sms`` prints a few messages of each kind.
"""
from __future__ import annotations

import random
import zipfile
from typing import Optional

from kitdata.fetch import download, say

__all__ = ["generate_sms_spam", "load_sms_spam", "SMS_COUNT", "SMS_SEED", "SPAM_FRACTION"]

SMS_COUNT = 3000        # messages in the offline set
SMS_SEED = 2026         # the offline set's seed
SPAM_FRACTION = 0.134   # the real collection's share of spam (747 / 5,574)

# ---------------------------------------------------------------------------------- word lists
_NAMES = ["Sam", "Jo", "Priya", "Tom", "Mei", "Ravi", "Ana", "Luc", "Kemi", "Dan", "Lena", "Omar", "Yuki", "Ben"]
_PLACES = ["the station", "the library", "Mum's", "the gym", "work", "the cafe", "the park", "uni", "the shop",
           "the bus stop", "the cinema", "class", "the market", "home"]
_TIMES = ["at 6", "at half 7", "around 8", "after lunch", "tonight", "tomorrow", "in 10 mins", "later",
          "this weekend", "on Friday", "at noon", "before 5", "in a bit", "after class"]
_FOODS = ["pizza", "noodles", "curry", "tacos", "dumplings", "soup", "chips", "pasta", "rice", "cake"]
_THINGS = ["keys", "charger", "umbrella", "book", "jacket", "wallet", "notes", "headphones", "bag", "ticket"]
_FEELINGS = ["tired", "starving", "so bored", "knackered", "happy", "fine", "a bit ill", "stressed", "excited"]
_ACTIVITIES = ["watch a film", "go for a walk", "grab a coffee", "play footy", "study together", "go shopping",
               "get food", "see the match", "go swimming", "do the washing up"]
_OKAY = ["ok", "okay", "k", "sure", "yeah", "yep", "fine", "alright", "cool", "no worries"]
_SIGN = ["", "", "", " x", " xx", " :)", " ;)", " lol", " haha", "!", " cheers"]
_GREETING = ["", "", "", "", "Hey, ", "Hi {name}, ", "Oi ", "Morning! ", "Hiya. ", "{name}! ", "Hello hello. "]
_CLOSING = ["", "", "", "", " Love you", " Speak soon", " Let me know", " Thanks!!", " Ta", " See ya", " K bye"]

_PRIZES = ["a £500 shopping voucher", "a brand new phone", "£1000 cash", "a holiday for two", "a £250 gift card",
           "free tickets", "a tablet", "£2000", "a luxury cruise", "100 free minutes", "$1000 cash", "a $500 prize"]
_SHORTCODES = ["80081", "61200", "87121", "69988", "85555", "83222", "62468", "81010"]
_CODES = ["WIN", "CLAIM", "PRIZE", "GO", "YES", "STOP", "FREE", "BONUS"]
_PHONES = ["09061701461", "09050002311", "08712300220", "09066362231", "08000930705", "09058091854"]
_COSTS = ["150p/msg", "£1.50/wk", "£3/wk", "25p", "10p/min", "std rates apply", "£1/msg rcvd"]
_URGENCY = ["URGENT!", "Congratulations!", "FREE MSG:", "WINNER!!", "Final notice:", "Last chance!", "Important:",
            "Dear customer,", "SIX chances to win CASH!", "You have been selected!"]
_SERVICES = ["ringtones", "chat", "dating", "horoscope", "mobile update", "music", "quiz", "wallpaper"]
_EXPIRY = ["Valid 12hrs only", "Expires today", "Offer ends Sunday", "Claim within 48hrs", "T&Cs apply", "18+ only"]

_HAM = [
    "{ok}, see you {time}{sign}",
    "{ok} i'll be at {place} {time}",
    "Are you coming to {place} {time}?",
    "Hey {name}, want to {act} {time}?",
    "Can you pick up some {food} on the way home?",
    "I'm {feel}, might just stay in {time}",
    "Have you seen my {thing}? Think I left it at {place}",
    "Running late, be there {time}. Sorry!",
    "Did {name} call you back about {time}?",
    "Just got to {place}, where are you?",
    "Thanks for the {food} yesterday, it was lovely{sign}",
    "Lol no way. {name} told me the same thing",
    "Call me when you get this, nothing urgent{sign}",
    "Happy birthday {name}!! Hope you have a great day{sign}",
    "Mum says dinner is {food} {time}",
    "Don't forget your {thing}, it's going to rain",
    "I'll text you when I leave {place}",
    "Can't talk now, in {place}. Call you {time}",
    "Good luck with your exam {time}! You'll be fine",
    "Shall we {act} or just stay at {place}?",
    "{name} is coming too, is that ok?",
    "Sorry missed your call, was at {place}",
    "What time does {place} close {time}?",
    "I won the quiz at {place} last night haha, free {food} for us{sign}",
    "Got a free {thing} with my order, want it?",
    "Please call back when you're free, {name} needs the {thing}",
    "The {thing} is on the table at {place}. Text me {time}",
    "We won the match!! {name} scored twice{sign}",
    "Tell {name} I said hi. See you {time}",
    "Ugh I'm {feel}. Long day at {place}",
    "No probs. Meet at {place} {time} then",
    "Is the {food} place open {time}? Fancy it",
]

_SPAM = [
    "{urgent} You have won {prize}! To claim call {phone} now. {expiry}",
    "{urgent} Your mobile number has won {prize}. Text {code} to {short} to claim. {cost}",
    "FREE entry into our weekly draw to win {prize}. Text {code} to {short}. {cost} {expiry}",
    "{urgent} We tried to contact you re your reward of {prize}. Call {phone} {expiry}",
    "Get the latest {service} for your phone FREE! Reply {code} to {short}. {cost}",
    "{urgent} Your account has a pending bonus of {prize}. Claim at {phone} before it expires. {expiry}",
    "You are a WINNER! Guaranteed {prize} or a cash award. Call {phone} now. {cost}",
    "Hot singles in your area want to chat! Text {code} to {short}. {cost} 18+",
    "{urgent} Your subscription to {service} will renew at {cost}. To stop reply STOP to {short}",
    "Claim your FREE {service} trial now! Send {code} to {short}. {expiry}",
    "Double your mins and get {prize} FREE when you upgrade. Call {phone}. {cost}",
    "{urgent} Last attempt to reach you: {prize} is waiting. Reply {code} or call {phone}",
    "Txt {code} to {short} for your chance to win {prize} this week! {cost}",
    "Your {service} password has expired. Verify now at {phone} or lose access. {expiry}",
    "Congrats {name}! You've been picked for {prize}. Call {phone} to confirm. {cost}",
    "PRIVATE! Your statement shows an unclaimed prize of {prize}. Call {phone} {expiry}",
]


def _fill(template: str, rng: random.Random) -> str:
    words = {
        "name": rng.choice(_NAMES), "place": rng.choice(_PLACES), "time": rng.choice(_TIMES),
        "food": rng.choice(_FOODS), "thing": rng.choice(_THINGS), "feel": rng.choice(_FEELINGS),
        "act": rng.choice(_ACTIVITIES), "ok": rng.choice(_OKAY).capitalize(), "sign": rng.choice(_SIGN),
        "prize": rng.choice(_PRIZES), "short": rng.choice(_SHORTCODES), "code": rng.choice(_CODES),
        "phone": rng.choice(_PHONES), "cost": rng.choice(_COSTS), "urgent": rng.choice(_URGENCY),
        "service": rng.choice(_SERVICES), "expiry": rng.choice(_EXPIRY),
    }
    if template in _HAM:
        template = rng.choice(_GREETING) + template + rng.choice(_CLOSING)
    text = template.format(**words)
    if rng.random() < 0.15:  # texting style: everything in lower case
        text = text.lower()
    return text


def generate_sms_spam(n: int = SMS_COUNT, seed: int = SMS_SEED, spam_fraction: float = SPAM_FRACTION):
    """``n`` messages (``round(n * spam_fraction)`` spam) in random order: a DataFrame ``Label``, ``Text``.

    Every message is filled from the kit's templates and word lists with ``random.Random(seed)``, so the
    same arguments give the same messages; another seed gives fresh messages of the same kinds.
    """
    import pandas as pd

    rng = random.Random(seed)
    n_spam = round(n * spam_fraction)
    labels = ["spam"] * n_spam + ["ham"] * (n - n_spam)
    rng.shuffle(labels)
    texts = [_fill(rng.choice(_SPAM if label == "spam" else _HAM), rng) for label in labels]
    return pd.DataFrame({"Label": labels, "Text": texts})


def load_sms_spam(offline: Optional[bool] = None, trust_new: Optional[bool] = None):
    """The UCI SMS Spam Collection as the book reads it (``Label``, ``Text``), else the generated set.

    The zip is downloaded through :func:`kitdata.fetch.download` (cached; sha256 pinned or trusted on
    first use) and its ``SMSSpamCollection`` file read with ``pandas.read_csv(sep="\\t", header=None)``.
    When that is not possible this prints a bilingual note and returns :func:`generate_sms_spam`.
    """
    import pandas as pd

    path = download("sms-spam-collection", offline=offline, trust_new=trust_new)
    if path is not None:
        with zipfile.ZipFile(path) as archive, archive.open("SMSSpamCollection") as f:
            return pd.read_csv(f, sep="\t", header=None, names=["Label", "Text"])
    say("未能获得 UCI SMS Spam Collection：改用课程包生成的短信数据（结果中的数字会与书中不同）。",
        "the UCI SMS Spam Collection is not available: using the kit's generated SMS messages instead "
        "(the numbers you get will differ from the book's).")
    return generate_sms_spam()


def _main() -> int:
    df = generate_sms_spam()
    counts = df["Label"].value_counts()
    print(f"generated SMS set: {len(df)} messages, {counts['spam']} spam ({counts['spam'] / len(df):.1%})")
    for label in ("ham", "spam"):
        for text in df[df["Label"] == label]["Text"].head(4):
            print(f"  {label:<4}  {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
