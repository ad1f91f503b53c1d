"""Clusters of bottleneck signatures, kept as sums per cluster: a newcomer joins the cluster whose
members it resembles most on average (average linkage: the inner product of the newcomer's query form with
the cluster's mean, see signature.py) when that resemblance reaches the threshold, else it starts its own.
Pure numpy, no database: the service loads it and keeps it in step."""

import numpy as np


class ClusterSet:
    """Cluster id -> (sum of member signatures, member count), as rows of one matrix for fast lookups."""

    def __init__(self, dim: int):
        self._empty(dim)

    def _empty(self, dim: int) -> None:
        self.dim = dim
        self.ids: list[int] = []
        self.row: dict[int, int] = {}
        self.sums = np.zeros((0, dim), dtype=np.float32)
        self.counts = np.zeros(0, dtype=np.float32)

    @classmethod
    def from_members(cls, cluster_ids: list[int], vectors: np.ndarray) -> "ClusterSet":
        """Built from every member's (cluster, signature), the rows ordered by cluster; `vectors` may be
        float16 (summed as float32 one cluster at a time, never converted whole)."""
        clusters = cls(vectors.shape[1])
        if not len(vectors):
            return clusters
        ids, starts = np.unique(np.asarray(cluster_ids), return_index=True)
        ends = [*starts[1:], len(vectors)]
        clusters.ids = [int(i) for i in ids]
        clusters.row = {cluster_id: row for row, cluster_id in enumerate(clusters.ids)}
        clusters.sums = np.stack(
            [
                vectors[start:end].sum(axis=0, dtype=np.float32)
                for start, end in zip(starts, ends, strict=True)
            ]
        )
        clusters.counts = (np.asarray(ends) - starts).astype(np.float32)
        return clusters

    def __len__(self) -> int:
        return int((self.counts > 0).sum())

    def add(self, cluster_id: int, vector: np.ndarray) -> None:
        if self.dim != vector.shape[0] and not self.ids:
            self._empty(vector.shape[0])
        row = self.row.get(cluster_id)
        if row is None:
            row = len(self.ids)
            self.ids.append(cluster_id)
            self.row[cluster_id] = row
            self.sums = _grow(self.sums, row + 1)
            self.counts = np.concatenate(
                [self.counts, np.zeros(self.sums.shape[0] - len(self.counts), dtype=np.float32)]
            )
        self.sums[row] += vector
        self.counts[row] += 1

    def remove(self, cluster_id: int, vector: np.ndarray) -> None:
        row = self.row.get(cluster_id)
        if row is not None:
            self.sums[row] -= vector
            self.counts[row] = max(0.0, self.counts[row] - 1)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Average similarity of a newcomer (its query form) to each cluster's members (-1 for an empty
        cluster), by row."""
        n = len(self.ids)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        counts = self.counts[:n]
        out = self.sums[:n] @ query / np.maximum(counts, 1)
        out[counts == 0] = -1.0
        return out

    def ranked(self, query: np.ndarray, threshold: float, limit: int) -> list[tuple[int, float]]:
        """Up to `limit` (cluster id, average similarity) at or above `threshold`, most similar first."""
        scores = self.scores(query)
        if scores.size == 0:
            return []
        top = np.argsort(-scores, kind="stable")[:limit]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] >= threshold]

    def nearest(self, query: np.ndarray, threshold: float) -> int | None:
        best = self.ranked(query, threshold, 1)
        return best[0][0] if best else None


def _grow(matrix: np.ndarray, rows: int) -> np.ndarray:
    if rows <= matrix.shape[0]:
        return matrix
    grown = np.zeros((max(rows, 2 * matrix.shape[0], 64), matrix.shape[1]), dtype=np.float32)
    grown[: matrix.shape[0]] = matrix
    return grown


def assign(vectors: np.ndarray, queries: np.ndarray, threshold: float) -> list[int]:
    """Labels for signatures arriving in this order (each compared in its query form), each placed as the
    service places a new one."""
    clusters = ClusterSet(vectors.shape[1] if vectors.ndim == 2 else 0)
    labels = []
    for vector, query in zip(vectors, queries, strict=True):
        label = clusters.nearest(query, threshold)
        if label is None:
            label = len(clusters.ids)
        clusters.add(label, vector)
        labels.append(label)
    return labels
