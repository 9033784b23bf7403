#!/usr/bin/env python3
"""Writes a ViT-B/32-shaped CLIP with RANDOM fp32 weights as an OpenAI-named .safetensors.

For speed measurements only: the embeddings it produces mean nothing. Seeded, so every run
writes the same bytes. Shapes: vision width 768, 12 layers, patch 32, resolution 224; text
width 512, 12 layers, context 77, vocabulary 49408; embedding 512. Initial scales follow the
spirit of CLIP's initialisation (about width^-0.5) so activations stay in a normal range.
"""
import argparse
import json
import os
import struct

import numpy as np


def tower(tensors, rng, prefix, width, layers):
    attn_std = width ** -0.5
    proj_std = attn_std * (2 * layers) ** -0.5
    fc_std = (2 * width) ** -0.5
    for i in range(layers):
        p = f"{prefix}{i}."
        for norm in ("ln_1", "ln_2"):
            tensors[p + norm + ".weight"] = np.ones(width, np.float32)
            tensors[p + norm + ".bias"] = np.zeros(width, np.float32)
        tensors[p + "attn.in_proj_weight"] = normal(rng, (3 * width, width), attn_std)
        tensors[p + "attn.in_proj_bias"] = np.zeros(3 * width, np.float32)
        tensors[p + "attn.out_proj.weight"] = normal(rng, (width, width), proj_std)
        tensors[p + "attn.out_proj.bias"] = np.zeros(width, np.float32)
        tensors[p + "mlp.c_fc.weight"] = normal(rng, (4 * width, width), fc_std)
        tensors[p + "mlp.c_fc.bias"] = np.zeros(4 * width, np.float32)
        tensors[p + "mlp.c_proj.weight"] = normal(rng, (width, 4 * width), proj_std)
        tensors[p + "mlp.c_proj.bias"] = np.zeros(width, np.float32)


def normal(rng, shape, std):
    return (rng.standard_normal(shape, dtype=np.float32) * np.float32(std)).astype(np.float32)


def norm_pair(tensors, name, width):
    tensors[name + ".weight"] = np.ones(width, np.float32)
    tensors[name + ".bias"] = np.zeros(width, np.float32)


def build(seed, vw=768, vlayers=12, patch=32, res=224, tw=512, tlayers=12, ctx=77, vocab=49408, embed=512):
    rng = np.random.default_rng(seed)
    t = {}
    grid = res // patch
    t["visual.conv1.weight"] = normal(rng, (vw, 3, patch, patch), (3 * patch * patch) ** -0.5)
    t["visual.class_embedding"] = normal(rng, (vw,), vw ** -0.5)
    t["visual.positional_embedding"] = normal(rng, (grid * grid + 1, vw), vw ** -0.5)
    norm_pair(t, "visual.ln_pre", vw)
    norm_pair(t, "visual.ln_post", vw)
    t["visual.proj"] = normal(rng, (vw, embed), vw ** -0.5)
    tower(t, rng, "visual.transformer.resblocks.", vw, vlayers)
    t["token_embedding.weight"] = normal(rng, (vocab, tw), 0.02)
    t["positional_embedding"] = normal(rng, (ctx, tw), 0.01)
    norm_pair(t, "ln_final", tw)
    t["text_projection"] = normal(rng, (tw, embed), tw ** -0.5)
    t["logit_scale"] = np.array(np.log(1 / 0.07), np.float32)
    tower(t, rng, "transformer.resblocks.", tw, tlayers)
    return t


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    names = sorted(tensors)
    for name in names:
        size = tensors[name].nbytes
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)   # the data section starts 8-byte aligned
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for name in names:
            f.write(np.ascontiguousarray(tensors[name], dtype="<f4").tobytes())
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()
    tensors = build(args.seed)
    count = sum(a.size for a in tensors.values())
    write_safetensors(args.output, tensors, {"note": "random weights for benchmarking", "seed": str(args.seed)})
    print(f"wrote {args.output}: ViT-B/32-shaped CLIP, {count / 1e6:.1f} M parameters, RANDOM weights (seed {args.seed})")


if __name__ == "__main__":
    main()
