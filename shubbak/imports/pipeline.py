"""An import's rows, read and prepared chunk by chunk: in a reader process while the job writes, or in the job itself.

Reading the file and preparing its rows as new records (`engine.read_rows`: cells, phones, ID numbers, search text)
is more than half the work of an import and needs no database; matching and writing need it. So a reader process,
forked from the job, reads chunk n + 1 while the job matches and writes chunk n: on two cores, the two halves overlap.

Fork, not spawn: the reader inherits the job's context (whose cell readers are closures, which cannot be pickled) and
its active language, and starts at once. It inherits the job's database connections too, which it must never use
(a query from two processes on one connection corrupts it): there, every query raises. The huey worker runs jobs in
threads, and a fork copies only the thread that forks: that is safe on Python 3.11 here, as the reader takes no lock
another thread may hold at that moment (logging's and the import lock are reset at fork, connections are not used).
Python 3.12 warns about forking with threads; there, the "forkserver" start method and a picklable context would do.

Each chunk goes to the job as one pickle of plain values (see `engine.Row.__reduce__`), without the organisation,
which the job puts back on each record: no query per record. A few chunks wait, read, to be sent (`AHEAD`): memory
stays flat, and neither side waits for the other when one chunk takes longer (a commit, a block of the file to
decompress). The pipe's only writer is the reader, so if the reader dies (killed, out of memory) the job reads the
pipe's end instead of waiting forever. An error in the reader (a file damaged half-way) is sent to the job and raised
there, as if the job had read the file itself.
"""

import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from django.db import connections

from . import engine, readers

AHEAD = 2  # chunks read and waiting to be sent, besides the one being sent: each side seldom waits for the other
WAIT_SECONDS = 10  # how often the job, waiting for a chunk, checks that the reader is still alive
_forking = threading.Lock()  # two jobs starting readers at once: neither reader keeps the other's pipe open


class ReaderStopped(RuntimeError):
    """The reader process ended without sending the rest of the file, or sent an error that could not be sent as is."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def read_chunks(
    ctx: engine.Context, path: Path, *, file_format: str, encoding: str, delimiter: str, chunk_rows: int, apart: bool
) -> Iterator[Iterator[list[engine.Row]]]:
    """The file's records, read and prepared, a list of `chunk_rows` per chunk: in a reader process when `apart`
    (and the platform can fork), else in this one. Leaving the block stops the reader."""
    source = {"path": path, "file_format": file_format, "encoding": encoding, "delimiter": delimiter}
    if not (apart and can_fork()):
        with readers.data_rows(**source) as records:
            yield _read(ctx, records, chunk_rows)
        return
    context = multiprocessing.get_context("fork")
    with _forking:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_reader, args=(ctx, source, chunk_rows, sender), name="import reader", daemon=True)
        process.start()
        sender.close()  # the reader's end: with the reader gone, reading finds the end of the pipe
    try:
        yield _received(ctx, receiver, process)
    finally:
        if process.is_alive():
            process.terminate()
            process.join(WAIT_SECONDS)
            if process.is_alive():
                process.kill()
        process.join()
        receiver.close()
        process.close()


def _read(ctx: engine.Context, records: Iterator[tuple[int, list]], chunk_rows: int) -> Iterator[list[engine.Row]]:
    while chunk := list(islice(records, chunk_rows)):
        yield engine.read_rows(ctx, chunk)


# --- In the reader process ------------------------------------------------------------------------


def _reader(ctx: engine.Context, source: dict, chunk_rows: int, sender) -> None:
    """Read the file and send its chunks, then the end or the error that stopped it; never touch the database."""
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # not the huey worker's handlers: stop when told
        signal.signal(number, signal.SIG_DFL)
    sys.setprofile(None)  # a profiler of the job (bench/imports.py --profile) stays there
    gc.freeze()  # what the job made is never collected here, so the collector leaves the pages it shares with the job
    for connection in connections.all():
        connection.execute_wrappers.append(_refuse_query)
    ready: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD)
    sending = threading.Thread(target=_send, args=(ready, sender), name="import reader: sending", daemon=True)
    sending.start()
    try:
        with readers.data_rows(**source) as records:
            chunks = _read(ctx, records, chunk_rows)
            while True:
                with readers.no_cycle_collection():  # see services._run
                    rows = next(chunks, None)
                    if rows is None:
                        break
                    message = pickle.dumps(("rows", rows), protocol=pickle.HIGHEST_PROTOCOL)
                    rows.clear()
                ready.put(message)
                del message
        ready.put(pickle.dumps(("end",)))
    except BaseException as exc:
        ready.put(_failure(exc))
    ready.put(None)
    sending.join()


def _send(ready: queue.Queue, sender) -> None:
    """Send the chunks in order as the job takes them, so that reading goes on meanwhile; if the job has stopped
    listening, end the reader at once."""
    try:
        while (message := ready.get()) is not None:
            sender.send_bytes(message)
        sender.close()
    except OSError:
        os._exit(1)


def _refuse_query(execute, sql, params, many, context):
    raise ReaderStopped("the import's reader process must not use the database (its connections are the job's)")


def _failure(exc: BaseException) -> bytes:
    """The error as the job will raise it, with where it happened here; as a ReaderStopped if it cannot be pickled."""
    where = "".join(traceback.format_exception(exc))
    try:
        message = pickle.dumps(("failed", exc.with_traceback(None), where), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(message)  # some exceptions pickle but cannot be made again from their arguments
    except Exception:
        message = pickle.dumps(("failed", ReaderStopped(f"{type(exc).__name__}: {exc}"), where))
    return message


# --- In the job -----------------------------------------------------------------------------------


def _received(ctx: engine.Context, receiver, process) -> Iterator[list[engine.Row]]:
    while True:
        while not receiver.poll(WAIT_SECONDS):
            if not process.is_alive():
                raise ReaderStopped(f"the import's reader process ended unexpectedly (exit code {process.exitcode})")
        try:
            message = receiver.recv_bytes()
        except EOFError:
            process.join(WAIT_SECONDS)
            raise ReaderStopped(
                f"the import's reader process ended unexpectedly (exit code {process.exitcode}; -9 is a kill, often for lack of memory)"
            ) from None
        kind, *content = pickle.loads(message)
        del message
        if kind == "end":
            return
        if kind == "failed":
            exc, where = content
            exc.add_note(f"Raised in the import's reader process:\n{where}")
            raise exc
        (rows,) = content
        organisation = ctx.organisation
        for row in rows:
            if row.fresh is not None:  # not sent: this process's own
                row.fresh.organisation = organisation
        yield rows
