"""PyTorch reference for `criticality bench train`: full-batch training steps of a tanh MLP in the NTK
parameterisation, in float64 on the CPU.

Widths n_0 = --inputs, n_1 = ... = n_(L-1) = --width, n_L = --classes (L = --depth). The trained parameters
omega^l (n_l x n_(l-1)) and beta^l (n_l) are standard normals; a layer is h^l = (sigma_w / sqrt(n_(l-1)))
a^(l-1) omega^lT + sigma_b beta^l with a^0 = x and a^l = tanh(h^l), and the outputs are h^L. Inputs: B = --batch
standard normal rows; targets: one-hot vectors of uniformly drawn classes. A step is the forward pass, the loss
(1/2B) sum_b |h^L(x_b) - y_b|^2, the gradients of the parameters by autograd (torch.autograd.grad: none for x)
and the update theta -= eta grad without an optimiser object, as `criticality bench train` does with
DenseNetwork.gradients and GradientDescent.update. torch.set_num_threads(--threads). One untimed step, then
--repeats timings of --steps steps each.

Prints one line of JSON: {"method": "pytorch", "torch", "threads", "width", "depth", "batch", "inputs",
"classes", "steps", "seconds": [seconds per step of each timing], "seconds_per_step": their median, "gflops":
3 x 2 B sum n_(l-1) n_l / seconds_per_step / 1e9 (forward, delta-backprop, weight gradient), "loss": the loss
before the last timed step, "peak_rss_mib"}.

Without torch it prints one line on stderr saying so and exits with status 3 (the tool then leaves the row
out). With --peak it needs only NumPy and prints the dgemm figure of benchmarks/cnn_reference.py instead: an
n x n product (n = --peak-size), --products-per-timing products per timing.
"""
import argparse
import json
import math
import statistics
import sys
import time

TORCH_MISSING = 3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--inputs", type=int, default=64)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sigma-w", type=float, default=1.5)
    parser.add_argument("--sigma-b", type=float, default=0.3)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peak", action="store_true", help="measure NumPy's float64 matmul instead (no torch needed)")
    parser.add_argument("--peak-size", type=int, default=2048)
    parser.add_argument("--products-per-timing", type=int, default=1)
    args = parser.parse_args()
    for name in ("width", "depth", "batch", "inputs", "classes", "steps", "repeats", "threads", "peak_size",
                 "products_per_timing"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.peak:
        from cnn_reference import peak  # same folder; NumPy only
        print(json.dumps(peak(args.peak_size, args.repeats, args.seed, args.products_per_timing)))
        return
    try:
        import torch
    except ImportError as error:
        print(f"train_reference.py: PyTorch is missing ({error}); install torch in a virtual environment and run "
              f"this script with its python", file=sys.stderr)
        sys.exit(TORCH_MISSING)
    from mlp_reference import peak_rss_mib

    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(args.seed)
    widths = [args.inputs] + [args.width] * (args.depth - 1) + [args.classes]
    f64 = torch.float64
    params = []
    for n_in, n_out in zip(widths, widths[1:]):
        params.append(torch.randn(n_out, n_in, dtype=f64, generator=generator).requires_grad_())
        params.append(torch.randn(n_out, dtype=f64, generator=generator).requires_grad_())
    x = torch.randn(args.batch, args.inputs, dtype=f64, generator=generator)
    labels = torch.randint(0, args.classes, (args.batch,), generator=generator)
    y = torch.nn.functional.one_hot(labels, args.classes).to(f64)
    scales = [args.sigma_w / math.sqrt(n_in) for n_in in widths[:-1]]

    def step():
        h = x
        for l in range(args.depth):
            h = scales[l] * (h @ params[2 * l].T) + args.sigma_b * params[2 * l + 1]
            if l < args.depth - 1:
                h = torch.tanh(h)
        loss = ((h - y) ** 2).sum() / (2 * args.batch)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p.sub_(args.learning_rate * g)
        return loss.detach()

    step()  # warm-up
    seconds, loss = [], float("nan")
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            loss = step()
        seconds.append((time.perf_counter() - start) / args.steps)
    per_step = statistics.median(seconds)
    flops = 3 * 2 * args.batch * sum(a * b for a, b in zip(widths, widths[1:]))
    print(json.dumps({
        "method": "pytorch",
        "torch": torch.__version__,
        "threads": args.threads,
        "width": args.width,
        "depth": args.depth,
        "batch": args.batch,
        "inputs": args.inputs,
        "classes": args.classes,
        "steps": args.steps,
        "seconds": seconds,
        "seconds_per_step": per_step,
        "gflops": flops / per_step / 1e9,
        "loss": float(loss),
        "peak_rss_mib": peak_rss_mib(),
    }))


if __name__ == "__main__":
    main()
