#!/usr/bin/env bash
# Synthesises a small speech corpus with espeak-ng for training checks: short fortune lines whose
# words are all in CMUdict, spoken by several espeak-ng English voices, as Kaldi data directories
# OUT/train and OUT/dev (wav.scp, text, utt2spk, text.phones with CMUdict phones, stress removed)
# and OUT/tokens.txt (<blk> 0, then the 39 ARPAbet phones sorted).
#   apt-get install espeak-ng fortunes pocketsphinx-en-us
# Usage: espeak-corpus.sh OUT [UTTERANCES (default 100)] [DEV (default 20)]
set -euo pipefail
out=${1:?usage: espeak-corpus.sh OUT [UTTERANCES] [DEV]}
count=${2:-100}
dev=${3:-20}
dict=/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict
mkdir -p "$out/wav"

python3 - "$out" "$count" "$dev" "$dict" <<'PY'
import os, random, re, subprocess, sys
out, count, dev, dict_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pron = {}
for line in open(dict_path, encoding="utf-8"):
    f = line.split()
    if f and "(" not in f[0]:
        pron.setdefault(f[0].lower(), [re.sub(r"\d", "", p) for p in f[1:]])
lines = []
root = "/usr/share/games/fortunes"
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name)
    if name.endswith((".dat", ".u8")) or not os.path.isfile(path):
        continue
    for raw in open(path, encoding="utf-8", errors="ignore"):
        words = re.sub(r"[^a-z' ]", " ", raw.lower()).split()
        if 3 <= len(words) <= 8 and all(w in pron for w in words):
            lines.append(" ".join(words))
lines = sorted(set(lines))
random.Random(7).shuffle(lines)
lines = lines[:count]
voices = ["en-us", "en-us+m3", "en-us+f2", "en", "en+m2", "en+f3", "en-gb-x-rp"]
phones = sorted({p for ps in pron.values() for p in ps})
assert len(phones) == 39, phones
with open(os.path.join(out, "tokens.txt"), "w") as t:
    t.write("<blk> 0\n" + "".join(f"{p} {i + 1}\n" for i, p in enumerate(phones)))
sets = {"dev": lines[:dev], "train": lines[dev:]}
for name, utts in sets.items():
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    scp, text, ph, spk = [], [], [], []
    for i, sentence in enumerate(utts):
        voice = voices[i % len(voices)] if name == "train" else voices[(i + 3) % len(voices)]
        uid = f"{name}-{i:04d}"
        wav = os.path.abspath(os.path.join(out, "wav", uid + ".wav"))
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(150 + 10 * (i % 4)), "-w", wav, sentence], check=True)
        scp.append(f"{uid} {wav}")
        text.append(f"{uid} {sentence}")
        ph.append(f"{uid} " + " ".join(p for w in sentence.split() for p in pron[w]))
        spk.append(f"{uid} {voice}")
    for fname, rows in (("wav.scp", scp), ("text", text), ("text.phones", ph), ("utt2spk", spk)):
        with open(os.path.join(d, fname), "w") as f:
            f.write("\n".join(rows) + "\n")
    print(f"{name}: {len(utts)} utterances")
PY
