"""Writes N finished RQ jobs (1 in 10 failed) to stdout as Redis commands for
`redis-cli --pipe`, in RQ's own layout: one real finished and one real failed job are
run first by RQ's SimpleWorker, then their job hashes and registry entries (and the
failed job's result stream, which holds its error) are copied under new ids. Finished
jobs are kept (no 500 s result TTL), as a store holding a million of them would.

    python rq_fill.py N | redis-cli -u URL --pipe
"""

from __future__ import annotations

import contextlib
import sys
import uuid

import resp
from rq import SimpleWorker
from rq_app import connection, fail, noop, queue


def templates() -> dict[str, tuple[dict, list, str, float]]:
    jobs = {"finished": queue.enqueue(noop), "failed": queue.enqueue(fail)}
    # RQ's worker logs to stdout, which carries the commands here.
    with contextlib.redirect_stdout(sys.stderr):
        SimpleWorker([queue], connection=connection).work(burst=True, logging_level="WARNING")
    out = {}
    for kind, job in jobs.items():
        registry = f"rq:{kind}:{queue.name}"
        score = connection.zscore(registry, job.id)
        if score is None:
            raise SystemExit(f"RQ left the {kind} template out of {registry}")
        fields = connection.hgetall(f"rq:job:{job.id}")
        results = [entry for _, entry in connection.xrange(f"rq:results:{job.id}")]
        out[kind] = (fields, results, registry, score)
    return out


def flat(fields: dict[bytes, bytes]) -> list[bytes]:
    return [x for pair in fields.items() for x in pair]


def main(n: int) -> None:
    kinds = templates()
    commands = {
        kind: resp.template("HSET", resp.Slot(len("rq:job:") + 36), *flat(fields))
        for kind, (fields, *_) in kinds.items()
    }
    write = sys.stdout.buffer.write
    batch: dict[str, list[tuple[str, float]]] = {"finished": [], "failed": []}
    for i in range(n):
        kind = "failed" if i % 10 == 0 else "finished"
        _, results, registry, score = kinds[kind]
        job_id = str(uuid.uuid4())
        write(commands[kind] % f"rq:job:{job_id}".encode())
        # Result streams for the failed jobs only: the failed page reads them (their
        # error), while nothing measured reads a finished job's result.
        for entry in results if kind == "failed" else ():
            write(resp.command("XADD", f"rq:results:{job_id}", "*", *flat(entry)))
        batch[kind].append((job_id, score - i * 1e-3))
        if len(batch[kind]) >= 1000:
            write(resp.zadd(registry, batch[kind]))
            batch[kind].clear()
    for kind, members in batch.items():
        write(resp.zadd(kinds[kind][2], members))


if __name__ == "__main__":
    main(int(sys.argv[1]))
