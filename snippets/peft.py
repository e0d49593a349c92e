"""Parameter-efficient fine-tuning (PEFT): how many parameters each method trains.

The counts are for a decoder-only transformer with ``n_layers`` blocks of
width ``d_model``, a feed-forward hidden size ``d_ff`` and a vocabulary of
``vocab_size`` tokens. Weight matrices only: biases, layer norms and
position embeddings are left out (together well under 1% of a large model).
The LoRA count comes from ``snippets.lora.lora_parameter_count``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from snippets.lora import lora_parameter_count

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# The GPT-3 6.7B configuration (Brown et al., 2020), used for the page's numbers and figure.
GPT3_6P7B = {"d_model": 4096, "n_layers": 32, "d_ff": 16384, "vocab_size": 50257}


def transformer_parameter_count(d_model: int, n_layers: int, d_ff: int, vocab_size: int) -> int:
    """Weights of the model: per layer ``4 d^2`` (Q, K, V, output) plus ``2 d d_ff`` (FFN), plus ``V d`` embeddings.

    >>> transformer_parameter_count(**GPT3_6P7B)
    6648303616
    """
    return n_layers * (4 * d_model**2 + 2 * d_model * d_ff) + vocab_size * d_model


def adapter_parameter_count(d_model: int, bottleneck: int) -> int:
    """One bottleneck adapter (Houlsby et al., 2019): down ``d -> m`` and up ``m -> d``, with biases.

    ``2 d m + d + m``.

    >>> adapter_parameter_count(4096, 64)
    528448
    """
    return 2 * d_model * bottleneck + d_model + bottleneck


def adapters_trainable(d_model: int, n_layers: int, bottleneck: int = 64, per_layer: int = 2) -> int:
    """Adapters after the attention and the feed-forward sublayer of every block (two per layer).

    >>> adapters_trainable(4096, 32)
    33820672
    """
    return n_layers * per_layer * adapter_parameter_count(d_model, bottleneck)


def lora_trainable(d_model: int, n_layers: int, rank: int = 8, matrices: int = 2) -> int:
    """LoRA of rank ``r`` on ``matrices`` square ``d x d`` projections per layer (``W_q`` and ``W_v`` by default).

    >>> lora_trainable(4096, 32)
    4194304
    """
    return n_layers * matrices * lora_parameter_count(d_model, d_model, rank)


def lora_fraction(d: int, k: int, r: int) -> float:
    """Trainable fraction of one ``d x k`` matrix under rank-``r`` LoRA: ``r (d + k) / (d k)``.

    >>> lora_fraction(4096, 4096, 8)
    0.00390625
    """
    return lora_parameter_count(d, k, r) / (d * k)


def prefix_tuning_trainable(d_model: int, n_layers: int, prefix_length: int = 10) -> int:
    """Prefix tuning (Li and Liang, 2021): a trainable key and value vector per prefix position and layer.

    ``2 L p d``, counting the prefix itself (the reparameterization MLP used
    during training is discarded afterwards).

    >>> prefix_tuning_trainable(4096, 32)
    2621440
    """
    return 2 * n_layers * prefix_length * d_model


def prompt_tuning_trainable(d_model: int, prompt_length: int = 20) -> int:
    """Prompt tuning (Lester et al., 2021): ``p`` trainable input embeddings, ``p d``.

    >>> prompt_tuning_trainable(4096)
    81920
    """
    return prompt_length * d_model


def ia3_trainable(d_model: int, n_layers: int, d_ff: int) -> int:
    """(IA)^3 (Liu et al., 2022): per layer, rescaling vectors for keys (``d``), values (``d``) and FFN activations (``d_ff``).

    >>> ia3_trainable(4096, 32, 16384)
    786432
    """
    return n_layers * (2 * d_model + d_ff)


def method_trainable_counts(d_model: int, n_layers: int, d_ff: int, vocab_size: int) -> dict[str, int]:
    """Trainable parameters of each method, with the settings used on the PEFT page.

    >>> counts = method_trainable_counts(**GPT3_6P7B)
    >>> counts["LoRA, r = 8"], counts["(IA)^3"]
    (4194304, 786432)
    """
    return {
        "full fine-tuning": transformer_parameter_count(d_model, n_layers, d_ff, vocab_size),
        "adapters, m = 64": adapters_trainable(d_model, n_layers),
        "LoRA, r = 8": lora_trainable(d_model, n_layers),
        "prefix tuning, p = 10": prefix_tuning_trainable(d_model, n_layers),
        "(IA)^3": ia3_trainable(d_model, n_layers, d_ff),
        "prompt tuning, p = 20": prompt_tuning_trainable(d_model),
    }


def trainable_fractions(d_model: int, n_layers: int, d_ff: int, vocab_size: int) -> dict[str, float]:
    """Each method's trainable parameters as a fraction of the model's (full fine-tuning is 1).

    >>> round(trainable_fractions(**GPT3_6P7B)["LoRA, r = 8"] * 100, 4)  # percent
    0.0631
    """
    counts = method_trainable_counts(d_model, n_layers, d_ff, vocab_size)
    total = counts["full fine-tuning"]
    return {name: count / total for name, count in counts.items()}


def _short_count(count: int) -> str:
    """A parameter count for a label: ``6.65 B``, ``4.19 M`` or ``81,920``.

    >>> _short_count(6648303616), _short_count(4194304), _short_count(81920)
    ('6.65 B', '4.19 M', '81,920')
    """
    if count >= 1e9:
        return f"{count / 1e9:.2f} B"
    if count >= 1e6:
        return f"{count / 1e6:.2f} M"
    return f"{count:,}"


# --- Figures ---------------------------------------------------------------------
# Drawn at build time for the pages that embed them as ![alt](figure:peft.<name>).


def trainable_fraction_bars() -> Figure:
    """Horizontal bars, log scale: the share of a 6.6B-parameter model each PEFT method trains."""
    from matplotlib.figure import Figure

    counts = method_trainable_counts(**GPT3_6P7B)
    fractions = trainable_fractions(**GPT3_6P7B)
    names = list(fractions)[::-1]  # full fine-tuning on top
    percents = [100 * fractions[name] for name in names]
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    colors = ["C0" if name != "full fine-tuning" else "C1" for name in names]
    ax.barh(range(len(names)), percents, color=colors, height=0.6)
    for i, name in enumerate(names):
        ax.text(percents[i] * 1.3, i, f"{percents[i]:.3g}%  ({_short_count(counts[name])})", va="center",
                fontsize=8.5)
    ax.set_yticks(range(len(names)), [name.replace("(IA)^3", "(IA)$^3$") for name in names])
    ax.set_xscale("log")
    ax.set_xlim(5e-4, 2e3)
    ax.set_xlabel("trainable parameters, % of the model (log scale)")
    ax.grid(axis="y", visible=False)
    ax.set_title("GPT-3 6.7B configuration: d = 4096, 32 layers, 6.65 B weights")
    return fig
