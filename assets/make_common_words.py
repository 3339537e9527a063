#!/usr/bin/env python3
"""Rebuild assets/common-words.txt, the common-English word list of `suggest`.

Usage:
    python3 assets/make_common_words.py SCOWL_DIR FEDERALIST_TXT > assets/common-words.txt

SCOWL_DIR is the folder of SCOWL's final lists, e.g. /usr/share/dict/scowl
from Debian's `scowl` package (2020.12.07-2). FEDERALIST_TXT is Project
Gutenberg eBook #18, The Federalist Papers (public domain), e.g.
shared/corpus/federalist-papers-gutenberg.txt.

The list holds every lower-case word of SCOWL sizes 10 and 20 (spelling
categories english, american, british, british_z; possessives and other
words with an apostrophe dropped). Size 10 comes first, then size 20.
Within a size, words are ordered by how often they occur in The Federalist
Papers (most frequent first), then alphabetically. A word's line number is
therefore a rough frequency rank. See assets/README.md.
"""

import collections
import pathlib
import re
import sys

CATEGORIES = ("english", "american", "british", "british_z")
SIZES = (10, 20)


def scowl_words(folder, size):
    words = set()
    for category in CATEGORIES:
        path = folder / f"{category}-words.{size}"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").split("\n"):
            word = line.strip()
            if word and word == word.lower() and "'" not in word:
                words.add(word)
    return words


def federalist_counts(path):
    text = path.read_text(encoding="utf-8")
    start = text.find("*** START OF")
    end = text.find("*** END OF")
    if start != -1:
        text = text[text.find("\n", start) + 1 :]
    if end != -1:
        text = text[: text.find("*** END OF")]
    return collections.Counter(re.findall(r"[a-zà-ÿ]+", text.lower()))


def main():
    folder = pathlib.Path(sys.argv[1])
    counts = federalist_counts(pathlib.Path(sys.argv[2]))
    seen = set()
    for size in SIZES:
        words = scowl_words(folder, size) - seen
        seen |= words
        for word in sorted(words, key=lambda w: (-counts[w], w)):
            print(word)


if __name__ == "__main__":
    main()
