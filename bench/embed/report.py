#!/usr/bin/env python3
"""Sets bench_embed's and peer.py's results side by side (called by run.sh)."""
import argparse
import json
import sys

E2E_TARGET = 3.0        # Clade end to end vs the peer end to end
CEILING_TARGET = 0.60   # Clade model-only vs the fp32 FLOP ceiling (CPU)


def clade_result(path):
    with open(path) as f:
        for line in f:
            if line.startswith("BENCH_EMBED_JSON "):
                return json.loads(line[len("BENCH_EMBED_JSON "):])
    sys.exit(f"report.py: no BENCH_EMBED_JSON line in {path}: bench_embed failed")


def peer_result(path):
    with open(path) as f:
        lines = [line for line in f if line.startswith("{")]
    if not lines:
        sys.exit(f"report.py: no JSON line in {path}: peer.py failed")
    return json.loads(lines[-1])


def verdict(value, target):
    return "met" if value >= target else "MISSED"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clade", required=True)
    ap.add_argument("--peer", required=True)
    ap.add_argument("--photos", required=True)
    ap.add_argument("--count", type=int, required=True)
    args = ap.parse_args()
    c, p = clade_result(args.clade), peer_result(args.peer)
    e2e_ratio = c["e2e_images_per_s"] / p["e2e_images_per_s"]
    model_ratio = c["model_images_per_s"] / p["model_images_per_s"]
    print("== Embedding benchmark: ViT-B/32-shaped CLIP with RANDOM weights (speed only) ==")
    print(f"photos: {args.count} JPEGs, 4000x3000, in {args.photos}")
    print(f"device: Clade {c['device']} ({c['precision']}, batch {c['batch']}); peer {p['device']} "
          f"(torch {p['torch']}, {p['precision']}, {p['threads']} threads, batch {p['batch']}, PIL full-size decode, one process)")
    print(f"{'':34}{'Clade':>10}{'peer':>10}{'ratio':>9}")
    print(f"{'end to end, images/s':34}{c['e2e_images_per_s']:10.2f}{p['e2e_images_per_s']:10.2f}"
          f"{e2e_ratio:8.2f}x  (target >= {E2E_TARGET:.0f}x: {verdict(e2e_ratio, E2E_TARGET)})")
    print(f"{'model only, images/s':34}{c['model_images_per_s']:10.2f}{p['model_images_per_s']:10.2f}{model_ratio:8.2f}x")
    if "ceiling_images_per_s" in c:
        share = c["model_images_per_s"] / c["ceiling_images_per_s"]
        print(f"Clade model only vs fp32 ceiling: {c['model_images_per_s']:.2f} of {c['ceiling_images_per_s']:.2f} images/s "
              f"({c['ceiling_gflops']:.1f} GFLOP/s / {c['gflop_per_image']:.2f} GFLOP per image) = {100 * share:.0f}% "
              f"(target >= {100 * CEILING_TARGET:.0f}%: {verdict(share, CEILING_TARGET)})")
    else:
        print("fp32 ceiling: not computed on CUDA")
    if "gemm_gflops" in c:
        gemm_images = c["gemm_gflops"] / c["gflop_per_image"]
        print(f"Clade model only vs measured fp32 GEMM peak: {c['gemm_gflops']:.1f} GFLOP/s = {gemm_images:.2f} images/s; "
              f"model only = {100 * c['model_images_per_s'] / gemm_images:.0f}%")
    if "bf16_speedup" in c:
        print(f"bf16 (fast bf16 on this CPU: {'yes' if c['fast_bf16'] else 'no'}): {c['bf16_model_images_per_s']:.2f} images/s "
              f"= {c['bf16_speedup']:.2f}x fp32, worst cosine to fp32 {c['bf16_min_cosine']:.6f}, "
              f"bf16 GEMM {c['bf16_gemm_gflops']:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
