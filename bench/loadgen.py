"""A small closed-loop HTTP load generator: one thread and one connection per worker, a fixed number
of requests, latency measured per request from sending to the last byte of the body.

Connections are kept alive when the server allows it; gunicorn's sync workers close after every
response, and http.client then reconnects by itself, so the connect is part of the latency.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Scenario(Protocol):
    """What one worker sends; it may keep state (e.g. the revision of the cell it writes)."""

    def next_request(self) -> Request: ...

    def check(self, status: int, body: bytes) -> str | None:
        """None if the response is right, else what is wrong with it."""
        ...


@dataclass
class PhaseResult:
    requests: int
    wall_seconds: float
    client_cpu_seconds: float
    latencies: list[float]  # seconds, sorted
    failures: list[str]

    @property
    def rps(self) -> float:
        return self.requests / self.wall_seconds if self.wall_seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile, in seconds."""
        if not self.latencies:
            return float("nan")
        rank = min(max(1, math.ceil(p / 100 * len(self.latencies))), len(self.latencies))
        return self.latencies[rank - 1]


class _Quota:
    def __init__(self, total: int) -> None:
        self._left = total
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True


class Workers:
    """``len(scenarios)`` workers against ``host:port``; run phases one after another."""

    def __init__(self, host: str, port: int, scenarios: list[Scenario], timeout: float = 30.0) -> None:
        self.scenarios = scenarios
        self.connections = [http.client.HTTPConnection(host, port, timeout=timeout) for _ in scenarios]

    def close(self) -> None:
        for conn in self.connections:
            conn.close()

    def run(self, total: int) -> PhaseResult:
        """Sends ``total`` requests in all, each worker taking the next as soon as it has its answer."""
        quota = _Quota(total)
        start = threading.Barrier(len(self.scenarios) + 1)
        per_worker: list[tuple[list[float], list[str]]] = [([], []) for _ in self.scenarios]
        threads = [
            threading.Thread(target=self._work, args=(i, quota, start, per_worker[i]), daemon=True)
            for i in range(len(self.scenarios))
        ]
        for thread in threads:
            thread.start()
        start.wait()
        t0, cpu0 = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.join()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        latencies = sorted(x for lat, _ in per_worker for x in lat)
        failures = [f for _, fails in per_worker for f in fails]
        return PhaseResult(len(latencies), wall, cpu, latencies, failures)

    def _work(
        self, index: int, quota: _Quota, start: threading.Barrier, out: tuple[list[float], list[str]]
    ) -> None:
        scenario, conn = self.scenarios[index], self.connections[index]
        latencies, failures = out
        start.wait()
        while quota.take():
            request = scenario.next_request()
            t0 = time.perf_counter()
            try:
                conn.request(request.method, request.path, body=request.body, headers=request.headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                latencies.append(time.perf_counter() - t0)
                failures.append(f"{request.method} {request.path}: {type(exc).__name__}: {exc}")
                conn.close()
                continue
            latencies.append(time.perf_counter() - t0)
            problem = scenario.check(response.status, body)
            if problem is not None:
                failures.append(problem)
