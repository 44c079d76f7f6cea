#!/usr/bin/env python3
"""The peers' side of the GPU benchmarks (PyTorch, hence cuBLAS for GEMM), in the same units and
with the same names as dev.nerve.bench.GpuBench prints, so the kit's bench.sh can join them.

    python3 gpu_peers.py            # on a machine with a CUDA GPU and PyTorch
Prints: name<TAB>value<TAB>unit per line.
"""
import statistics
import sys
import time

import torch


def timed(reps, fn):
    for _ in range(max(2, reps // 5)):
        fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name, value, unit):
    print(f"{name}\t{value:.1f}\t{unit}", flush=True)


def sgd_step(model, x, y):
    """One training step on the fixed batch (x, y), as GpuBench.classifierStep: cross-entropy, SGD lr 0.01
    momentum 0.9. The mnist-mlp and LeNet rows differ only in the model and the batch."""
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    return step


def main():
    if not torch.cuda.is_available():
        print("gpu_peers: no CUDA device for PyTorch", file=sys.stderr)
        return 1
    dev = torch.device("cuda")
    gemms = [(1024, 1024, 1024), (4096, 4096, 4096), (8192, 8192, 8192), (128, 512, 784), (128, 256, 512),
             (128, 10, 256), (512, 1024, 4096), (32, 1024, 256), (3136, 64, 576)]
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        for m, n, k in gemms:
            if tf32 and m < 1024:
                continue
            a = torch.rand(m, k, device=dev) * 2 - 1
            b = torch.rand(k, n, device=dev) * 2 - 1
            reps = 10 if m * n * k > 1e11 else 50
            sec = timed(reps, lambda: torch.mm(a, b))
            report(f"gemm_{'tf32' if tf32 else 'fp32'}_{m}x{n}x{k}", 2.0 * m * n * k / sec / 1e9, "GFLOP/s")
    torch.backends.cuda.matmul.allow_tf32 = False
    for rows, cols in ((4096, 1000), (4096, 32768)):
        x = torch.rand(rows, cols, device=dev) * 10 - 5
        sec = timed(50, lambda: torch.softmax(x, dim=-1))
        report(f"softmax_{rows}x{cols}", 2.0 * rows * cols * 4 / sec / 1e9, "GB/s")
    n = 1 << 28
    src = torch.zeros(n, device=dev)
    dst = torch.empty(n, device=dev)
    sec = timed(50, lambda: dst.copy_(src))
    report(f"copy_d2d_{n}", 2.0 * n * 4 / sec / 1e9, "GB/s")
    n = 32 * 64 * 56 * 56
    x = torch.rand(n, device=dev) * 2 - 1
    sec = timed(50, lambda: x.sum())
    report(f"sum_{n}", n * 4 / sec / 1e9, "GB/s")
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 256),
                                torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(dev)
    sec = timed(200, sgd_step(model, torch.rand(128, 784, device=dev), torch.arange(128, device=dev) % 10))
    report("mnist_mlp_step_b128", 128 / sec, "examples/s")

    # cuDNN, FP32 (no TF32), with and without its autotuner; the name without a suffix is the
    # autotuned one (PyTorch's best), the _default one is what a plain PyTorch program gets.
    torch.backends.cudnn.allow_tf32 = False
    for bench in (True, False):
        torch.backends.cudnn.benchmark = bench
        suffix = "" if bench else "_default"
        n, c, hw, k = 32, 64, 56, 64
        for pas in ("forward", "backward_data", "backward_filter"):
            x = (torch.rand(n, c, hw, hw, device=dev) * 2 - 1).requires_grad_(pas == "backward_data")
            w = ((torch.rand(k, c, 3, 3, device=dev) * 2 - 1) * 0.05).requires_grad_(pas == "backward_filter")

            def conv():
                y = torch.nn.functional.conv2d(x, w, padding=1)
                if pas != "forward":
                    y.sum().backward()

            sec = timed(20, conv)
            flop = 2.0 * n * k * c * 9 * hw * hw * (1 if pas == "forward" else 2)
            report(f"conv3x3_{pas}_n{n}c{c}hw{hw}k{k}{suffix}", flop / sec / 1e9, "GFLOP/s")
        lenet = torch.nn.Sequential(
            torch.nn.Conv2d(1, 20, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(20, 50, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
            torch.nn.Linear(800, 500), torch.nn.ReLU(), torch.nn.Dropout(0.3), torch.nn.Linear(500, 10)).to(dev)
        sec = timed(200, sgd_step(lenet, torch.rand(64, 1, 28, 28, device=dev), torch.arange(64, device=dev) % 10))
        report(f"lenet_step_b64{suffix}", 64 / sec, "images/s")

    # One LSTM training step (cuDNN's fused LSTM), as GpuBench's lstm_step row.
    seq, batch, inp, hidden, classes = 64, 32, 128, 256, 65
    lstm = torch.nn.LSTM(inp, hidden).to(dev)
    head = torch.nn.Linear(hidden, classes).to(dev)
    adam = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
    xs = torch.rand(seq, batch, inp, device=dev) * 2 - 1
    ys = (torch.arange(seq * batch, device=dev) * 7) % classes

    def lstm_step():
        out, _ = lstm(xs)
        loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, classes), ys)
        adam.zero_grad()
        loss.backward()
        adam.step()

    sec = timed(50, lstm_step)
    report(f"lstm_step_s{seq}b{batch}h{hidden}", seq * batch / sec, "tokens/s")

    # The three cuDNN kernels alone (autotuned), as GpuBench's conv3x3_kernel_* rows.
    torch.backends.cudnn.benchmark = True
    try:
        n, c, hw, k = 32, 64, 56, 64
        shape = f"_n{n}c{c}hw{hw}k{k}"
        flop = 2.0 * n * k * c * 9 * hw * hw
        with torch.no_grad():
            x = torch.rand(n, c, hw, hw, device=dev) * 2 - 1
            w = (torch.rand(k, c, 3, 3, device=dev) * 2 - 1) * 0.05
            y = torch.nn.functional.conv2d(x, w, padding=1)
            report("conv3x3_kernel_forward" + shape,
                   flop / timed(20, lambda: torch.nn.functional.conv2d(x, w, padding=1)) / 1e9, "GFLOP/s")
            for name, mask in (("backward_data", [True, False, False]), ("backward_filter", [False, True, False])):
                def bwd():
                    torch.ops.aten.convolution_backward(y, x, w, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)
                report(f"conv3x3_kernel_{name}{shape}", flop / timed(20, bwd) / 1e9, "GFLOP/s")
    except Exception as e:  # the figures above stand without these
        print(f"gpu_peers: conv kernel rows skipped: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
