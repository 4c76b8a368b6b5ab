#!/usr/bin/env python3
"""Generates Gridwatch's two alert sounds into data/sounds/ (Python standard library only).

  alert-urgent.wav  a new urgent case: a bright two-tone chime, high then lower
  alert-late.wav    a case turned late: a lower, plainer double beep

They are synthesised here from sine waves, so they are our own work; we release them under
CC0 1.0 (no rights reserved), which also makes them usable under the project's GPL.
16-bit mono PCM WAV at 22,050 Hz: GStreamer's wavparse plays it without any codec, and each
file stays well under 100 KB. Run from the source root: python3 build-aux/make-sounds.py
"""

import math
import os
import struct
import sys
import wave

RATE = 22050
PEAK = 0.6 * 32767  # headroom: a wall's speakers are often turned up


def chime_note(freq, duration, decay):
    """A bell-like note: the fundamental with a few soft partials, struck and fading."""
    partials = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12), (4.2, 0.05))
    norm = sum(a for _, a in partials)
    out = []
    for i in range(int(duration * RATE)):
        t = i / RATE
        attack = min(1.0, t / 0.004)
        env = attack * math.exp(-t / decay)
        s = sum(a * math.sin(2 * math.pi * freq * k * t) for k, a in partials) / norm
        out.append(s * env)
    return out


def beep(freq, duration):
    """A plain beep with soft 8 ms edges so it does not click."""
    n = int(duration * RATE)
    edge = int(0.008 * RATE)
    out = []
    for i in range(n):
        t = i / RATE
        env = min(1.0, i / edge, (n - 1 - i) / edge)
        # A touch of the third harmonic makes it carry on small speakers.
        s = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(2 * math.pi * 3 * freq * t)
        out.append(s / 1.25 * env)
    return out


def silence(duration):
    return [0.0] * int(duration * RATE)


def mix_at(base, samples, offset):
    """Adds @samples into @base from @offset seconds on, growing it as needed."""
    start = int(offset * RATE)
    if len(base) < start + len(samples):
        base.extend([0.0] * (start + len(samples) - len(base)))
    for i, s in enumerate(samples):
        base[start + i] += s


def write(path, samples):
    peak = max(1e-9, max(abs(s) for s in samples))
    scale = PEAK / peak  # both sounds equally loud
    frames = b"".join(struct.pack("<h", int(round(s * scale))) for s in samples)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    print(f"{path}: {os.path.getsize(path)} bytes, {len(samples) / RATE:.2f} s")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "data", "sounds")
    os.makedirs(outdir, exist_ok=True)

    # Urgent: E6 then C6, overlapping like a door chime, ~1.2 s.
    urgent = []
    mix_at(urgent, chime_note(1318.5, 0.9, 0.28), 0.0)
    mix_at(urgent, chime_note(1046.5, 0.9, 0.32), 0.32)
    write(os.path.join(outdir, "alert-urgent.wav"), urgent)

    # Late: two short beeps at A4, lower and flatter than the chime, ~0.5 s.
    late = beep(440.0, 0.14) + silence(0.09) + beep(440.0, 0.14) + silence(0.12)
    write(os.path.join(outdir, "alert-late.wav"), late)


if __name__ == "__main__":
    main()
