#!/usr/bin/env python3
"""Reference fbank values from torchaudio.compliance.kaldi.fbank (an independent
reimplementation of Kaldi's compute-fbank-feats) for FbankTorchaudioTest.

Run from this directory with Debian 12's python3-torchaudio (0.13.1, CPU) installed:
    /usr/bin/python3 make_reference.py
It writes two 16-bit WAVs (a speech-like harmonic glide with noise, and a tone) and
reference.txt, a Kaldi text archive with one matrix per (signal, option set); the ids are
"<signal>-<set>". The option sets must match OPTION_SETS in FbankTorchaudioTest.java.
"""
import math
import random
import struct
import wave

import torch
import torchaudio

RATE = 16000

OPTION_SETS = {
    "default": dict(num_mel_bins=80),
    "centred": dict(num_mel_bins=80, snip_edges=False, window_type="hamming", use_energy=True),
    "narrow": dict(num_mel_bins=23, low_freq=64.0, high_freq=-400.0, preemphasis_coefficient=0.0,
                   remove_dc_offset=False, window_type="hanning"),
    "nopow2": dict(num_mel_bins=40, round_to_power_of_two=False, window_type="blackman",
                   use_energy=True, raw_energy=False, energy_floor=1.0),
    "magnitude": dict(num_mel_bins=40, use_power=False, window_type="rectangular",
                      frame_length=20.0, frame_shift=12.5),
}


def speech_like(n):
    rnd = random.Random(7)
    out, phase = [], 0.0
    for i in range(n):
        f0 = 110 + 40 * math.sin(2 * math.pi * 2 * i / RATE)
        phase += 2 * math.pi * f0 / RATE
        v = 0.0
        h = 1
        while h < 30 and h * f0 < RATE / 2:
            v += math.sin(h * phase) / h * (1 + math.cos(2 * math.pi * h * f0 / 1500))
            h += 1
        out.append(0.05 * v + 0.002 * rnd.gauss(0, 1))
    return out


def tone(n):
    return [0.5 * math.sin(2 * math.pi * 1000 * i / RATE) for i in range(n)]


def write_wav(name, x):
    ints = [max(-32768, min(32767, int(round(v * 32768)))) for v in x]
    with wave.open(name, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack("<%dh" % len(ints), *ints))
    # Kaldi's scale (raw 16-bit integers), in float64: torchaudio then computes in float64, so the
    # reference carries no float32 FFT rounding (which reaches 0.08 in the log far from a tone).
    return torch.tensor([ints], dtype=torch.float64)


def main():
    signals = {"speech": write_wav("speech.wav", speech_like(6400)),
               "tone": write_wav("tone.wav", tone(3200))}
    with open("reference.txt", "w") as out:
        for sname, wav in signals.items():
            for oname, opts in OPTION_SETS.items():
                kw = dict(dither=0.0, energy_floor=0.0, sample_frequency=RATE)
                kw.update(opts)
                feats = torchaudio.compliance.kaldi.fbank(wav, **kw)
                out.write("%s-%s  [" % (sname, oname))
                for row in feats.tolist():
                    out.write("\n  " + " ".join("%.7g" % v for v in row))
                out.write(" ]\n")


if __name__ == "__main__":
    main()
