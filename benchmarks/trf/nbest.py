#!/usr/bin/env python3
"""Simulated 16-best lists from real text, for exercising `joule lm rescore` before an acoustic model exists.

Each sentence of TEXT becomes utterance uN with 16 candidates: the sentence itself and 15 copies
with one or two words replaced by words drawn from the text's own vocabulary; every candidate
gets an acoustic cost uniform in [0, 2), so acoustics alone pick at random and the language
models must tell the real sentence from its corruptions. Writes NBEST and REFS files.

Usage: nbest.py TEXT NBEST REFS [utterances] [seed]
"""
import random
import sys

text, nbest_path, refs_path = sys.argv[1:4]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 300
rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
sentences = [line.split() for line in open(text) if line.split()]
vocab = sorted({w for s in sentences for w in s})
with open(nbest_path, "w") as nb, open(refs_path, "w") as refs:
    for u, words in enumerate(sentences[:count]):
        refs.write(f"u{u} {' '.join(words)}\n")
        candidates = [words]
        for k in range(15):
            h = list(words)
            for _ in range(1 + k % 2):
                h[rng.randrange(len(h))] = rng.choice(vocab)
            candidates.append(h)
        rng.shuffle(candidates)
        for h in candidates:
            nb.write(f"u{u} {rng.uniform(0, 2):.4f} {' '.join(h)}\n")
