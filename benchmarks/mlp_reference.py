"""NumPy reference for the finite-width MLP benchmark: tanh network, fresh random weights in every layer.

h^1 = W^1 x + b^1, h^{l+1} = W^{l+1} tanh(h^l) + b^{l+1}, W_ij ~ N(0, sigma_w^2 / n_in), b_i ~ N(0, sigma_b^2);
width n in every layer, input dimension n0 = n. Two inputs per realisation, Gaussian, rescaled to
|x|^2 / n0 = 1 and made orthogonal (c0 = 0) by Gram-Schmidt. Order parameter per layer:
rho = 1 - cos(h_a, h_b), computed as |h_a/|h_a| - h_b/|h_b||^2 / 2 (never negative).

--method explicit: per realisation and layer, draw W (n x n_in) and b and form W [phi_a, phi_b] (one n x 2
matmul; the sigma_w / sqrt(n_in) scale is applied to the n x 2 product, not to W); Python loop over
realisations. --method gram: exact weight-free sampler vectorised over realisations, arrays (2, R, n):
the rows of W [phi_a, phi_b] + b are i.i.d. N(0, S), S = (sigma_w^2 / n_in) G + sigma_b^2 ones(2, 2),
G the 2 x 2 Gram matrix of (phi_a, phi_b); closed-form 2 x 2 Cholesky, h_a = L11 z1, h_b = L21 z1 + L22 z2.
tanh is evaluated as 1 - 2 / (exp(2x) + 1) in place (about twice as fast as np.tanh here; absolute
error below 1e-15). Observables (--observe every, the default): at every layer, as `criticality simulate mlp`
reports them, the mean and standard error over realisations of rho = 1 - cos(h_a, h_b) (from three row dot
products) and of q = |h_a|^2 / n, and the fraction of realisations whose two signals are identical;
--observe sparse computes rho only at rho_depths (a lighter workload than the tool's). Only the propagation
is timed (inputs are drawn before the clock starts), each repeat separately and with the same seed.
Prints one line of JSON: {"method", "observe", "width", "depth", "samples", "seconds": [per-repeat wall
times], "neuron_layers_per_second": n L R / median(seconds), "peak_rss_mib", "rho": [mean over realisations
at rho_depths], "rho_depths": [1, 10, 100, L that are <= L]}.
"""
import argparse
import json
import resource
import statistics
import time

import numpy as np

if hasattr(np, "vecdot"):
    rowdot = np.vecdot  # NumPy >= 2.0: row-wise dot over the last axis
else:
    def rowdot(a, b):
        return np.einsum("...i,...i->...", a, b)


def make_inputs(rng, samples, n0):
    """Inputs of shape (2, R, n0): |x_a|^2 = |x_b|^2 = n0, x_a . x_b = 0 per realisation."""
    x = rng.standard_normal((2, samples, n0))
    xa, xb = x[0], x[1]
    xa *= np.sqrt(n0 / rowdot(xa, xa))[:, None]
    xb -= (rowdot(xb, xa) / n0)[:, None] * xa
    xb *= np.sqrt(n0 / rowdot(xb, xb))[:, None]
    return x


def tanh_inplace(h):
    """h <- tanh(h) as 1 - 2 / (exp(2h) + 1); exp overflow gives exactly +1."""
    with np.errstate(over="ignore"):
        np.multiply(h, 2.0, out=h)
        np.exp(h, out=h)
    np.add(h, 1.0, out=h)
    np.divide(-2.0, h, out=h)
    np.add(h, 1.0, out=h)
    return h


def rho_rows(ha, hb):
    """Per-row |ha/|ha| - hb/|hb||^2 / 2 for arrays whose last axis is the neuron axis."""
    na = np.sqrt(rowdot(ha, ha))[..., None]
    nb = np.sqrt(rowdot(hb, hb))[..., None]
    d = ha / na - hb / nb
    return 0.5 * rowdot(d, d)


def peak_rss_mib():
    """Peak resident memory of this process in MiB: VmHWM on Linux (ru_maxrss survives exec, so a child
    started by a larger parent would report the parent's size), ru_maxrss elsewhere (KiB on Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def observe_layer(ha, hb):
    """Per-layer observables of the tool: (mean rho, its standard error, mean q, its standard error, absorbed)."""
    n = ha.shape[-1]
    saa = rowdot(ha, ha)
    sbb = rowdot(hb, hb)
    sab = rowdot(ha, hb)
    rho = 1.0 - sab / np.sqrt(saa * sbb)
    np.maximum(rho, 0.0, out=rho)
    q = saa / n
    r = rho.shape[0]
    scale = 1.0 / np.sqrt(max(r - 1, 1) * r)
    absorbed = float(np.mean(np.all(ha == hb, axis=-1)))
    return (float(rho.mean()), float(rho.std() * np.sqrt(r) * scale), float(q.mean()), float(q.std() * np.sqrt(r) * scale),
            absorbed)


def measure_depths(depth):
    return sorted({d for d in (1, 10, 100, depth) if d <= depth})


def propagate_gram(x, depth, sw, sb, rng, depths, every=True):
    """Weight-free exact sampler; returns {depth: rho per realisation (R,)} (and, with `every`, the tool's
    observables at every layer, discarded: they are part of the timed work)."""
    _, samples, n0 = x.shape
    n = n0
    h = np.empty((2, samples, n))
    tmp = np.empty((samples, n))
    ha, hb = h[0], h[1]
    sb2 = sb * sb
    want = set(depths)
    out = {}
    phi = x
    for layer in range(1, depth + 1):
        pa, pb = phi[0], phi[1]
        scale = sw * sw / pa.shape[-1]
        s11 = rowdot(pa, pa)
        s21 = rowdot(pa, pb)
        s22 = rowdot(pb, pb)
        s11 *= scale
        s11 += sb2
        s21 *= scale
        s21 += sb2
        s22 *= scale
        s22 += sb2
        l11 = np.sqrt(s11)
        l21 = np.divide(s21, l11, out=np.zeros_like(s21), where=l11 > 0)
        s22 -= l21 * l21
        np.maximum(s22, 0.0, out=s22)
        l22 = np.sqrt(s22)
        rng.standard_normal(out=h)  # overwrites phi of the previous layer (G already taken)
        hb *= l22[:, None]
        np.multiply(ha, l21[:, None], out=tmp)
        hb += tmp
        ha *= l11[:, None]
        if every:
            observe_layer(ha, hb)
        if layer in want:
            out[layer] = rho_rows(ha, hb)
        if layer < depth:
            phi = tanh_inplace(h)
    return out


def propagate_explicit(x, depth, sw, sb, rng, depths, every=True):
    """Naive reference: draw every W and b; returns {depth: rho per realisation (R,)}."""
    _, samples, n0 = x.shape
    n = n0
    want = set(depths)
    out = {d: np.empty(samples) for d in depths}
    w = np.empty((n, n0))
    b = np.empty((n, 1))
    for r in range(samples):
        phi = np.ascontiguousarray(x[:, r, :].T)  # (n0, 2)
        for layer in range(1, depth + 1):
            n_in = phi.shape[0]
            if w.shape[1] != n_in:
                w = np.empty((n, n_in))
            rng.standard_normal(out=w)
            rng.standard_normal(out=b)
            h = w @ phi
            h *= sw / np.sqrt(n_in)
            b *= sb
            h += b
            if every:
                observe_layer(h[:, 0][None, :], h[:, 1][None, :])
            if layer in want:
                out[layer][r] = rho_rows(h[:, 0], h[:, 1])
            if layer < depth:
                phi = tanh_inplace(h)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", choices=("gram", "explicit"), default="gram")
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--depth", type=int, default=1024)
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--sigma-w", type=float, default=1.3955839752)
    parser.add_argument("--sigma-b", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--observe", choices=("every", "sparse"), default="every",
                        help="the tool's observables at every layer (default), or rho at rho_depths only")
    args = parser.parse_args()
    for name in ("width", "depth", "samples", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    propagate = propagate_gram if args.method == "gram" else propagate_explicit
    depths = measure_depths(args.depth)
    seconds, rho = [], {}
    for _ in range(args.repeats):
        rng = np.random.default_rng(args.seed)
        x = make_inputs(rng, args.samples, args.width)
        start = time.perf_counter()
        rho = propagate(x, args.depth, args.sigma_w, args.sigma_b, rng, depths, every=args.observe == "every")
        seconds.append(time.perf_counter() - start)
    work = args.width * args.depth * args.samples
    print(json.dumps({
        "method": args.method,
        "observe": args.observe,
        "width": args.width,
        "depth": args.depth,
        "samples": args.samples,
        "seconds": seconds,
        "neuron_layers_per_second": work / statistics.median(seconds),
        "peak_rss_mib": peak_rss_mib(),
        "rho": [float(np.mean(rho[d])) for d in depths],
        "rho_depths": depths,
    }))


if __name__ == "__main__":
    main()
