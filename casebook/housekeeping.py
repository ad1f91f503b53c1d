"""The server's periodic jobs (transcript retention, dropping erased cases from this process's search index,
recomputing the learning figures that changes marked stale, renewing bottleneck signatures after the way they
are made changed): each runs in a worker thread every `interval`
seconds, the first time shortly after start so a restarted server catches up. A failing job is logged by type
only and tried again next round."""

import asyncio
import logging
from collections.abc import Callable

import anyio

logger = logging.getLogger("casebook.housekeeping")
FIRST_RUN_AFTER_SECONDS = 10.0


class Housekeeping:
    def __init__(self, jobs: list[Callable[[], object]], interval: float):
        self.jobs, self.interval = jobs, interval
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._forever())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _forever(self) -> None:
        await asyncio.sleep(min(self.interval, FIRST_RUN_AFTER_SECONDS))
        while True:
            for job in self.jobs:
                try:
                    await anyio.to_thread.run_sync(job)
                except Exception as exc:  # noqa: BLE001 - the next round tries again
                    logger.error(
                        "housekeeping job %s failed: %s", getattr(job, "__name__", job), type(exc).__name__
                    )
            await asyncio.sleep(self.interval)
