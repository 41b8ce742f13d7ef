"""NumPy reference for the CNN benchmark: tanh network on a periodic lattice, fresh random weights per layer.

Lattice of P = S^d sites (d = --dim in {1, 2}, S = --size), C channels at every site, odd kernel width K per
dimension with the centred window k in {-(K-1)/2 .. (K-1)/2}^d. Layer:
h^{l+1}[a, x] = sum_{c, k} W[a, c, k] phi[c, x + k] + b[a] (indices mod S), phi = tanh(h^l), and phi = x (the
input, C channels, same fan-in) for the first layer; W ~ N(0, sigma_w^2 / (C K^d)), b ~ N(0, sigma_b^2), drawn
afresh in every layer and shared by all sites. Inputs: at every site a pair of Gaussian channel vectors with
|x_a|^2 / C = |x_b|^2 / C = 1, made orthogonal (c0 = 0) by Gram-Schmidt per site. The two signals are propagated
with the same weights as one array of shape (C, 2P) (columns s P + site), so a layer is one im2col, cols of
shape (C K^d, 2P), followed by one matrix product W.reshape(C, C K^d) @ cols + b. The im2col is done with
precomputed periodic slice copies (a non-allocating np.roll into the cols buffer: 2^d block copies per
offset); end to end this was 5-15% faster than np.take with precomputed indices and about 1.5x faster than
np.roll, and fancy indexing h[:, idx] was slower still. tanh is evaluated in place as 1 - 2 / (exp(2h) + 1):
2x faster than np.tanh alone, 1.5-1.8x end to end (tanh is the largest cost of a layer for C <= 16 and about
as costly as the matrix product at C = 64); absolute error below 1e-15.
Order parameter: rho = mean over sites of 1 - cos(h_a[:, x], h_b[:, x]) computed as |ha/|ha| - hb/|hb||^2 / 2,
averaged over the realisations (a Python loop). Observables (--observe every, the default): at every layer, as
`criticality simulate cnn` reports them, rho (from three per-site dot products over the channels) and the number of
active sites (whose two channel vectors differ); --observe sparse computes rho only at rho_depths (a lighter
workload than the tool's). At depth 1, rho ~ 1 - sigma_b^2 / (sigma_w^2 + sigma_b^2) up
to O(1/C) corrections. Only the propagation is timed (inputs and slice tables are prepared before the clock
starts), each repeat separately and with the same seed. FLOP convention: a multiply-add counts as 2 flops;
bias, activation, im2col copies and the observable are not counted, so flops = L R 2 P C (C K^d) 2.

Prints one line of JSON: {"method": "im2col", "observe", "dim", "size", "sites", "channels", "kernel", "depth",
"samples", "seconds": [per-repeat wall times], "site_layers_per_second": P L R / median(seconds), "gflops":
flops / median / 1e9, "peak_rss_mib", "rho": [mean over realisations at rho_depths], "rho_depths": [1, 10,
100, L that are <= L]}. With --peak, instead the double-precision matrix-multiply peak: C = A @ B for (n, n)
matrices, n = --peak-size, one warm-up and --repeats timed products: {"method": "dgemm", "n", "seconds",
"gflops": 2 n^3 / median / 1e9, "peak_rss_mib"}.
"""
import argparse
import itertools
import json
import statistics
import time

import numpy as np

from mlp_reference import measure_depths, peak_rss_mib, tanh_inplace  # same folder: shared with the MLP reference


def make_inputs(rng, samples, channels, sites):
    """Inputs of shape (R, C, 2P): columns [0, P) signal a, [P, 2P) signal b; per site |x|^2 = C, x_a . x_b = 0."""
    x = rng.standard_normal((samples, channels, 2 * sites))
    xa, xb = x[:, :, :sites], x[:, :, sites:]
    xa *= np.sqrt(channels / np.einsum("rcx,rcx->rx", xa, xa))[:, None, :]
    xb -= (np.einsum("rcx,rcx->rx", xb, xa) / channels)[:, None, :] * xa
    xb *= np.sqrt(channels / np.einsum("rcx,rcx->rx", xb, xb))[:, None, :]
    return x


def shift_table(dim, size, kernel):
    """For each offset k (C order over the d components): (dst, src) slice pairs with dst[x] = src[x + k mod S]."""
    half = (kernel - 1) // 2
    table = []
    for off in itertools.product(range(-half, half + 1), repeat=dim):
        per_axis = []
        for o in off:
            s = o % size
            if s == 0:
                per_axis.append([(slice(None), slice(None))])
            else:
                per_axis.append([(slice(0, size - s), slice(s, size)), (slice(size - s, size), slice(0, s))])
        table.append([(tuple(c[0] for c in combo), tuple(c[1] for c in combo))
                      for combo in itertools.product(*per_axis)])
    return table


def im2col(phi, cols, table):
    """phi: (C, 2, S[, S]) view; cols: (C, K^d, 2, S[, S]) view; fills cols[:, k] with phi shifted by offset k."""
    for k, pairs in enumerate(table):
        dst = cols[:, k]
        for d, s in pairs:
            dst[(Ellipsis,) + d] = phi[(Ellipsis,) + s]


def rho_sites(h, sites):
    """Mean over sites of |ha/|ha| - hb/|hb||^2 / 2, h of shape (C, 2P)."""
    ha, hb = h[:, :sites], h[:, sites:]
    d = ha / np.sqrt(np.einsum("cx,cx->x", ha, ha)) - hb / np.sqrt(np.einsum("cx,cx->x", hb, hb))
    return 0.5 * float(np.mean(np.einsum("cx,cx->x", d, d)))


def observe_layer(h, sites):
    """The tool's per-layer observables of one realisation: (rho, number of active sites)."""
    ha, hb = h[:, :sites], h[:, sites:]
    saa = np.einsum("cx,cx->x", ha, ha)
    sbb = np.einsum("cx,cx->x", hb, hb)
    sab = np.einsum("cx,cx->x", ha, hb)
    rho = np.maximum(1.0 - sab / np.sqrt(saa * sbb), 0.0)
    active = int(np.count_nonzero(np.any(ha != hb, axis=0)))
    return float(rho.mean()), active


def propagate(x, dim, size, kernel, depth, sw, sb, rng, depths, table, every=True):
    """Returns {depth: rho per realisation (R,)} (with `every`, also the tool's observables at every layer, which
    are part of the timed work and discarded)."""
    samples, channels, cols2 = x.shape
    sites = size ** dim
    taps = kernel ** dim
    fan_in = channels * taps
    lattice = (2,) + (size,) * dim
    cols = np.empty((fan_in, cols2))
    cols_view = cols.reshape((channels, taps) + lattice)
    h = np.empty((channels, cols2))
    w = np.empty((channels, fan_in))
    b = np.empty((channels, 1))
    want = set(depths)
    out = {d: np.empty(samples) for d in depths}
    wscale = sw / np.sqrt(fan_in)
    for r in range(samples):
        phi = x[r]
        for layer in range(1, depth + 1):
            im2col(phi.reshape((channels,) + lattice), cols_view, table)
            rng.standard_normal(out=w)
            w *= wscale
            rng.standard_normal(out=b)
            b *= sb
            np.matmul(w, cols, out=h)
            h += b
            if every:
                observe_layer(h, sites)
            if layer in want:
                out[layer][r] = rho_sites(h, sites)
            if layer < depth:
                phi = tanh_inplace(h)
    return out


def peak(n, repeats, seed, per_timing=1):
    """The dgemm figure; each timing runs per_timing products and records the time per product."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    c = np.empty((n, n))
    np.matmul(a, b, out=c)  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(per_timing):
            np.matmul(a, b, out=c)
        seconds.append((time.perf_counter() - start) / per_timing)
    return {"method": "dgemm", "n": n, "seconds": seconds, "gflops": 2.0 * n ** 3 / statistics.median(seconds) / 1e9,
            "peak_rss_mib": peak_rss_mib()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dim", type=int, choices=(1, 2), default=1)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--channels", type=int, default=16)
    parser.add_argument("--kernel", type=int, default=3)
    parser.add_argument("--depth", type=int, default=64)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--sigma-w", type=float, default=1.5)
    parser.add_argument("--sigma-b", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--observe", choices=("every", "sparse"), default="every",
                        help="the tool's observables at every layer (default), or rho at rho_depths only")
    parser.add_argument("--peak", action="store_true", help="measure the float64 matmul peak instead")
    parser.add_argument("--peak-size", type=int, default=2048)
    args = parser.parse_args()
    for name in ("size", "channels", "kernel", "depth", "samples", "repeats", "peak_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.channels < 2 and not args.peak:
        parser.error("--channels must be at least 2 (two orthogonal inputs per site)")
    if args.kernel % 2 == 0:
        parser.error("--kernel must be odd")
    if args.kernel > args.size:
        parser.error("--kernel must not exceed --size")
    if args.peak:
        print(json.dumps(peak(args.peak_size, args.repeats, args.seed)))
        return
    sites = args.size ** args.dim
    depths = measure_depths(args.depth)
    table = shift_table(args.dim, args.size, args.kernel)
    seconds, rho = [], {}
    for _ in range(args.repeats):
        rng = np.random.default_rng(args.seed)
        x = make_inputs(rng, args.samples, args.channels, sites)
        start = time.perf_counter()
        rho = propagate(x, args.dim, args.size, args.kernel, args.depth, args.sigma_w, args.sigma_b, rng,
                        depths, table, every=args.observe == "every")
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    work = sites * args.depth * args.samples
    flops = 2.0 * work * 2 * args.channels * args.channels * args.kernel ** args.dim
    print(json.dumps({
        "method": "im2col",
        "observe": args.observe,
        "dim": args.dim,
        "size": args.size,
        "sites": sites,
        "channels": args.channels,
        "kernel": args.kernel,
        "depth": args.depth,
        "samples": args.samples,
        "seconds": seconds,
        "site_layers_per_second": work / median,
        "gflops": flops / median / 1e9,
        "peak_rss_mib": peak_rss_mib(),
        "rho": [float(np.mean(rho[d])) for d in depths],
        "rho_depths": depths,
    }))


if __name__ == "__main__":
    main()
