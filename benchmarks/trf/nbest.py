#!/usr/bin/env python3
"""Simulated 16-best lists from real text, for exercising `joule lm rescore` before an acoustic model exists.

Each sentence of TEXT becomes utterance uN with 16 candidates: the sentence itself and 15 copies
with one or two words replaced by words drawn from VOCAB (one word per line, e.g. a model's
vocab.txt; <s>, </s> and <unk> are skipped), since a decoder's hypotheses only hold words its
graph knows, while references keep their out-of-vocabulary words; every candidate
gets an acoustic cost uniform in [0, 2), so acoustics alone pick at random and the language
models must tell the real sentence from its corruptions. Writes NBEST and REFS files.

Usage: nbest.py TEXT VOCAB NBEST REFS [utterances] [seed]
"""
import random
import sys

text, vocab_path, nbest_path, refs_path = sys.argv[1:5]
count = int(sys.argv[5]) if len(sys.argv) > 5 else 300
rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
sentences = [line.split() for line in open(text) if line.split()]
vocab = sorted({w.strip() for w in open(vocab_path)} - {"", "<s>", "</s>", "<unk>"})
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
