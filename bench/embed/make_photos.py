#!/usr/bin/env python3
"""Writes N seeded photo-like JPEGs (default 4000x3000, quality 90) into a folder.

Content is built so that decoding costs what it costs on real photos: smooth colour gradients
(sky, walls), mid-frequency texture (foliage, fabric) and per-pixel sensor noise, so the JPEG
entropy data is about as dense as a camera's. Files that already exist are kept, so the
folder is made once and reused; each is written to a temporary name and renamed.
"""
import argparse
import os
from multiprocessing import Pool

import numpy as np
from PIL import Image


def upsampled(rng, small_w, small_h, width, height, scale):
    """Random RGB field at low resolution, enlarged with bicubic interpolation: smooth content."""
    field = rng.uniform(0, 255, (small_h, small_w, 3)).astype(np.uint8)
    big = Image.fromarray(field, "RGB").resize((width, height), Image.BICUBIC)
    return (np.asarray(big, np.float32) - 128.0) * scale


def photo(index, seed, width, height):
    rng = np.random.default_rng([seed, index])
    img = upsampled(rng, 6, 4, width, height, 1.0) + 128.0             # gradients
    img += upsampled(rng, width // 16, height // 16, width, height, 0.35)  # texture
    img += upsampled(rng, width // 3, height // 3, width, height, 0.12)    # fine detail
    img += rng.normal(0.0, 4.0, (height, width, 1)).astype(np.float32)    # luminance noise
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def write_one(job):
    folder, index, seed, width, height, quality = job
    path = os.path.join(folder, f"photo-{index:04d}.jpg")
    if os.path.exists(path):
        return False
    tmp = os.path.join(folder, f".photo-{index:04d}.jpg.part")
    photo(index, seed, width, height).save(tmp, "JPEG", quality=quality)
    os.replace(tmp, path)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--width", type=int, default=4000)
    ap.add_argument("--height", type=int, default=3000)
    ap.add_argument("--quality", type=int, default=90)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = ap.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    jobs = [(args.folder, i, args.seed, args.width, args.height, args.quality) for i in range(args.count)]
    with Pool(max(1, args.jobs)) as pool:
        made = sum(pool.imap_unordered(write_one, jobs))
    print(f"photos: {args.count} {args.width}x{args.height} JPEGs (quality {args.quality}) in {args.folder}; "
          f"{made} written now, {args.count - made} already there")


if __name__ == "__main__":
    main()
