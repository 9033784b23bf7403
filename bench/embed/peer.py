#!/usr/bin/env python3
"""The Python peer of bench_embed: CLIP's image tower in eager PyTorch, as users of OpenAI's
and OpenCLIP's packages run it.

Written for this benchmark after the structure of OpenAI's CLIP model (residual attention
blocks with nn.MultiheadAttention and QuickGELU, ln_pre / ln_post / proj), loading the same
OpenAI-named .safetensors as Clade. Images are decoded at full size with PIL and preprocessed
as CLIP's transform does (bicubic resize of the short side to 224, centre crop, to tensor,
normalise with CLIP's mean and std), in batches of 32, in one process.

Prints one JSON line: end-to-end and model-only images/s.
"""
import argparse
import json
import os
import struct
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
from PIL import Image
from torch import nn

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict(
            c_fc=nn.Linear(width, 4 * width), gelu=QuickGELU(), c_proj=nn.Linear(4 * width, width)))

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, resolution, patch, width, layers, heads, embed_dim):
        super().__init__()
        grid = resolution // patch
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.empty(width))
        self.positional_embedding = nn.Parameter(torch.empty(grid * grid + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.empty(width, embed_dim))

    def forward(self, images):
        x = self.conv1(images).flatten(2).transpose(1, 2)            # [N, grid^2, width]
        cls = self.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x).permute(1, 0, 2)                           # sequence first, as OpenAI's
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "U8": "u1"}


def read_safetensors(path):
    """name -> numpy array; floating tensors (F32, F16, BF16) come back as float32."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw, dtype = data[begin:end], info["dtype"]
        if dtype == "BF16":
            arr = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        elif dtype in SAFETENSORS_DTYPES:
            arr = raw.view(SAFETENSORS_DTYPES[dtype])
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {dtype}")
        if arr.dtype.kind == "f":
            arr = arr.astype(np.float32)
        out[name] = np.array(arr).reshape(info["shape"])
    return out


def load_visual(path):
    tensors = read_safetensors(path)
    state = {k[len("visual."):]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith("visual.")}
    width = state["conv1.weight"].shape[0]
    patch = state["conv1.weight"].shape[-1]
    grid = int(round((state["positional_embedding"].shape[0] - 1) ** 0.5))
    layers = 1 + max(int(k.split(".")[2]) for k in state if k.startswith("transformer.resblocks."))
    model = VisionTransformer(grid * patch, patch, width, layers, width // 64, state["proj"].shape[1])
    model.load_state_dict(state, strict=True)
    return model.eval()


def preprocess(path, size=224):
    """CLIP's transform: Resize(size, bicubic) on the short side, CenterCrop, RGB, ToTensor, Normalize."""
    with Image.open(path) as im:
        w, h = im.size
        short, long = (w, h) if w <= h else (h, w)
        new_long = int(size * long / short)
        new_w, new_h = (size, new_long) if w <= h else (new_long, size)
        im = im.resize((new_w, new_h), Image.BICUBIC)
        left, top = int(round((new_w - size) / 2.0)), int(round((new_h - size) / 2.0))
        im = im.crop((left, top, left + size, top + size)).convert("RGB")
        arr = np.asarray(im, np.float32) / 255.0
    return torch.from_numpy(((arr - CLIP_MEAN) / CLIP_STD).transpose(2, 0, 1).copy())


def photos_in(folder):
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith((".jpg", ".jpeg")) and not n.startswith("."))
    return [os.path.join(folder, n) for n in names]


def embed(model, x, device, dtype):
    """CPU float32 batch in, CPU float32 embeddings out (as OpenAI's encode_image casts its input)."""
    return model(x.to(device=device, dtype=dtype)).float().cpu()


def end_to_end(model, files, batch, device, dtype):
    start = time.perf_counter()
    done = 0
    for i in range(0, len(files), batch):
        x = torch.stack([preprocess(p) for p in files[i:i + batch]])
        done += embed(model, x, device, dtype).shape[0]
    return done, time.perf_counter() - start


# The input starts on the CPU each time, as in bench_embed's model-only run.
def model_only(model, batch, device, dtype, min_batches, min_seconds):
    x = torch.randn(batch, 3, 224, 224, generator=torch.Generator().manual_seed(32))
    embed(model, x, device, dtype)                                    # warm-up
    start, images, batches = time.perf_counter(), 0, 0
    while batches < min_batches or time.perf_counter() - start < min_seconds:
        embed(model, x, device, dtype)
        images += batch
        batches += 1
    return images, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", required=True)
    ap.add_argument("--photos", required=True)
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument("--precision", choices=("auto", "fp32", "fp16"), default="auto",
                    help="auto: fp16 on CUDA (as OpenAI's clip.load leaves the model there), fp32 on the CPU")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--model-batches", type=int, default=2)
    ap.add_argument("--model-seconds", type=float, default=6.0)
    args = ap.parse_args()
    threads = len(os.sched_getaffinity(0))
    torch.set_num_threads(threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("peer.py: --device cuda, but this PyTorch sees no CUDA device")
    device = torch.device(args.device)
    files = photos_in(args.photos)
    if not files:
        sys.exit(f"peer.py: no JPEG in {args.photos}")
    precision = args.precision if args.precision != "auto" else ("fp16" if device.type == "cuda" else "fp32")
    if precision == "fp16" and device.type != "cuda":
        sys.exit("peer.py: fp16 runs only on CUDA here")
    dtype = torch.float16 if precision == "fp16" else torch.float32
    model = load_visual(args.weights).to(device=device, dtype=dtype)
    with torch.inference_mode():
        m_images, m_seconds = model_only(model, args.batch, device, dtype, args.model_batches, args.model_seconds)
        e_images, e_seconds = end_to_end(model, files, args.batch, device, dtype)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(json.dumps({"device": name, "torch": torch.__version__, "threads": threads, "batch": args.batch,
                      "precision": precision,
                      "e2e_images": e_images, "e2e_images_per_s": e_images / e_seconds,
                      "model_images_per_s": m_images / m_seconds}))


if __name__ == "__main__":
    main()
