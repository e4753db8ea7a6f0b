"""Whether a page reads as news or a review, learned from the labelled corpus.

A review, a progress notice or a news story of results states its figures as what was; the rules
know one by a heading (工作总结), by its opening (成效显著) or by words of the past that outnumber
words of the future four to one (`tense.tells_the_past`). Many say so in neither way: "近日,
记者从…获悉,…共落实学生资助3272人次". A logistic regression over a page's characters and
character pairs, trained on the genre each labeller gave the corpus's passages (plan or other,
`bench/learned_genre.py`, which writes `genre_weights.py`), says how likely the page is one; a
page it is sure of, whose words of the past are at least as many as its words of the future,
reports its figures. Figures with a word of the future in their own sentence stay targets.
"""

from __future__ import annotations

import math
import re

from duban.tasks.extract.genre_weights import BIAS, WEIGHTS
from duban.tasks.extract.tense import words_of_the_past_and_future

# how sure the model must be (over the corpus's sets left out in turn, 0.9 costs plans least)
SURE = 0.9
SPACE = re.compile(r"\s+")


def features(text: str) -> set[str]:
    """The characters of `text` and its pairs of neighbouring characters, without spaces."""
    plain = SPACE.sub("", text)
    return {*plain, *(plain[i : i + 2] for i in range(len(plain) - 1))}


def probability(text: str, weights: dict[str, float] = WEIGHTS, bias: float = BIAS) -> float:
    """How likely the model finds it that `text` is news or a review rather than a plan."""
    z = bias + sum(weights.get(feature, 0.0) for feature in features(text))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def reads_as_report(text: str) -> bool:
    """A page the model is sure is news or a review, and whose words of the past (已, 了, 截至 …)
    are two at least and no fewer than its words of the future (将, 力争, 目标 …)."""
    past, future = words_of_the_past_and_future(text)
    return past >= 2 and past >= future and probability(text) > SURE
