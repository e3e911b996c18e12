#!/usr/bin/env python3
"""PyTorch counterpart of `./echo4j bench model`: the same Qwen3-architecture models (zoo-configs/model-*.yaml),
the same batch shapes, the same measurements (training tokens/s with Adam, sampling tokens/s with and without a
KV cache, peak RSS). Run it on the same machine with the same thread count, e.g.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench_model.py --models tiny,small

Debian's python3-torch needs an optimized libblas.so.3 (libopenblas0-pthread) or it runs on the reference BLAS.
The "# kernels" line names the OpenBLAS kernels that ran: Debian's OpenBLAS 0.3.21 takes some AVX-512 CPUs (AMD
EPYC) for Prescott (SSE3), whose products are about 3x slower than its SkylakeX ones; there, set
OPENBLAS_CORETYPE=SkylakeX (as ./echo4j does for ND4J's OpenBLAS) to compare against PyTorch's best kernels.
"""
import argparse
import ctypes
import math
import os
import pathlib
import re
import time

import torch
import torch.nn.functional as F

ZOO = pathlib.Path(__file__).resolve().parents[4] / "zoo-configs"


def load_config(name):
    cfg = {}
    for line in (ZOO / f"model-{name}.yaml").read_text().splitlines():
        m = re.match(r"^(\w+):\s*([^#]+)", line)
        if m:
            v = m.group(2).strip()
            cfg[m.group(1)] = v == "true" if v in ("true", "false") else float(v) if re.search(r"[.e]", v) else int(v) if v.isdigit() else v
    return cfg


class RMSNorm(torch.nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Qwen3(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        d, h, kv, dh, i = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"], c["intermediate_size"]
        lin = lambda a, b: torch.nn.Linear(a, b, bias=False)
        self.embed = torch.nn.Embedding(c["vocab_size"], d)
        self.layers = torch.nn.ModuleList()
        for _ in range(c["num_hidden_layers"]):
            layer = torch.nn.Module()
            layer.n1, layer.n2 = RMSNorm(d, c["rms_norm_eps"]), RMSNorm(d, c["rms_norm_eps"])
            layer.q, layer.k, layer.v, layer.o = lin(d, h * dh), lin(d, kv * dh), lin(d, kv * dh), lin(h * dh, d)
            layer.qn, layer.kn = RMSNorm(dh, c["rms_norm_eps"]), RMSNorm(dh, c["rms_norm_eps"])
            layer.gate, layer.up, layer.down = lin(d, i), lin(d, i), lin(i, d)
            self.layers.append(layer)
        self.norm = RMSNorm(d, c["rms_norm_eps"])
        for p in self.parameters():
            if p.dim() == 2:
                torch.nn.init.normal_(p, std=0.02)
        inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, dh, 2).float() / dh))
        self.register_buffer("inv", torch.cat([inv, inv]), persistent=False)

    def forward(self, ids, past=None):
        """ids [B,S]; past: list of (k, v) [B,Hkv,P,Dh] or None. Returns logits [B,S,V] and the new cache."""
        c = self.c
        B, S = ids.shape
        h, kv, dh = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        P = 0 if past is None else past[0][0].shape[2]
        ang = torch.arange(P, P + S, dtype=torch.float32)[:, None] * self.inv[None, :]
        cos, sin = ang.cos(), ang.sin()
        rot = lambda x: torch.cat([-x[..., dh // 2:], x[..., :dh // 2]], -1)
        rope = lambda x: x * cos + rot(x) * sin
        mask = torch.full((S, P + S), float("-inf")).triu(P + 1)
        x = self.embed(ids)
        cache = []
        for li, L in enumerate(self.layers):
            a = L.n1(x)
            q = rope(L.qn(L.q(a).view(B, S, h, dh)).transpose(1, 2))
            k = rope(L.kn(L.k(a).view(B, S, kv, dh)).transpose(1, 2))
            v = L.v(a).view(B, S, kv, dh).transpose(1, 2)
            if past is not None:
                k, v = torch.cat([past[li][0], k], 2), torch.cat([past[li][1], v], 2)
            cache.append((k, v))
            rep = h // kv
            att = (q @ k.repeat_interleave(rep, 1).transpose(-1, -2)) / math.sqrt(dh) + mask
            o = (att.softmax(-1) @ v.repeat_interleave(rep, 1)).transpose(1, 2).reshape(B, S, h * dh)
            x = x + L.o(o)
            m = L.n2(x)
            x = x + L.down(F.silu(L.gate(m)) * L.up(m))
        return self.norm(x) @ self.embed.weight.T, cache


def kernels():
    """Which kernels run: OpenBLAS's core (its own detection unless OPENBLAS_CORETYPE names one) and ATen's vector ISA."""
    try:
        blas = ctypes.CDLL("libblas.so.3")
        blas.openblas_get_corename.restype = ctypes.c_char_p
        core = f"OpenBLAS {blas.openblas_get_corename().decode()} kernels (OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')})"
    except (OSError, AttributeError):
        core = "libblas.so.3 is not OpenBLAS"
    isa = next((line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines() if "CPU capability" in line), "unknown")
    return f"products {core}, ATen vector kernels {isa}"


def peak_rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


def train(c, a):
    torch.manual_seed(1)
    model = Qwen3(c)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    tokens = torch.randint(0, 259, (a.batch, a.seq + 1))
    times = []
    for step in range(-a.warmup, a.steps):
        t = time.perf_counter()
        logits, _ = model(tokens[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step >= 0:
            times.append(time.perf_counter() - t)
    return a.batch * a.seq * len(times) / sum(times)   # total tokens over total time, as echo4j's bench


@torch.inference_mode()
def sample(c, a, cached, new_tokens):
    torch.manual_seed(1)
    model = Qwen3(c)
    prompts = torch.randint(0, 256, (a.batch, a.prompt))

    def generate(n):
        seq = prompts
        logits, cache = model(seq)
        for i in range(n):
            probs = logits[:, -1].float().softmax(-1)
            nxt = torch.multinomial(probs, 1)
            torch.log_softmax(logits[:, -1], -1).gather(1, nxt)  # the old log-probs GRPO needs
            seq = torch.cat([seq, nxt], 1)
            if i + 1 < n:
                logits, cache = model(nxt, cache) if cached else model(seq)
        return seq

    generate(16)
    rounds = a.sample_rounds if cached else 1
    t = time.perf_counter()
    for _ in range(rounds):
        generate(new_tokens)
    return a.batch * new_tokens * rounds / (time.perf_counter() - t)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", default="tiny,small")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--new-tokens", type=int, default=256)
    p.add_argument("--prompt", type=int, default=16)
    p.add_argument("--sample-rounds", type=int, default=3)   # timed generations with the KV cache, as echo4j's
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--skip-no-cache", action="store_true")
    a = p.parse_args()
    threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
    torch.set_num_threads(threads)
    blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    print(f"# pytorch {torch.__version__} bench model: {os.cpu_count()} cores, torch threads {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, libblas.so.3 -> {blas}")
    print(f"# kernels: {kernels()}")
    print("model\tparams\ttrain_tok_s\tsample_kv_tok_s\tsample_nocache_tok_s\tkv_speedup\tpeak_rss_mib")
    for name in a.models.split(","):
        c = load_config(name)
        try:
            open("/proc/self/clear_refs", "w").write("5")
        except OSError:
            pass
        params = sum(p.numel() for p in Qwen3(c).parameters()) / 1e6
        tr = train(c, a)
        kv = sample(c, a, True, a.new_tokens)
        full = float("nan") if a.skip_no_cache else sample(c, a, False, a.new_tokens)
        print(f"{name}\t{params:.2f}M\t{tr:.0f}\t{kv:.0f}\t{full:.0f}\t{kv / full:.1f}\t{peak_rss_mib()}", flush=True)


if __name__ == "__main__":
    main()
