"""Run an Oxigraph SPARQL server over a kg store, as a child process.

`kg serve` uses `oxigraph serve-read-only`: it refuses updates and Graph Store
writes (HTTP 403), negotiates every standard results and RDF format, and takes
a per-query timeout. A read-only opener must not run beside a writer (Oxigraph
calls that undefined behaviour), so the server reads a *snapshot*: a RocksDB
checkpoint of the store made at start, hard-linked beside it (cheap, on the
same disk). `kg build` can then write the store while the server keeps
answering from the snapshot; restart the server to serve the new build.

The same launcher starts read-write servers (in memory or on a folder) for
tests and benchmarks of `kg push`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import typing
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.errors import RemoteError, StoreError

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30
READY_SECONDS = 30.0


def oxigraph_binary() -> str:
    """The `oxigraph` server program: beside this Python (a venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise RemoteError("the 'oxigraph' server program is not installed (pip install 'kg[server]')")
    return found


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def snapshot(store_path: str | Path) -> Path:
    """A consistent copy of the store beside it, made while holding the store's write lock.

    Taking the lock proves no build is writing; the checkpoint hard-links the
    immutable data files, so it costs milliseconds and little disk.
    """
    store_path = Path(store_path)
    if not (store_path / "CURRENT").is_file():  # the file every Oxigraph (RocksDB) folder has
        raise StoreError(f"{store_path}: no store here (run 'kg build' first)")
    target = Path(tempfile.mkdtemp(prefix=f".{store_path.name}.serve-", dir=store_path.resolve().parent))
    target.rmdir()  # Oxigraph creates the checkpoint folder itself
    try:
        store = ox.Store(str(store_path))
    except OSError as exc:
        raise StoreError(f"{store_path}: cannot open the store to snapshot it; is a build writing it? "
                         f"({str(exc).splitlines()[0]})") from exc
    try:
        store.backup(str(target))
    except OSError as exc:
        raise StoreError(f"{store_path}: cannot snapshot the store into {target} ({exc})") from exc
    finally:
        del store
    return target


@dataclass
class Server:
    """A running Oxigraph server process and what it serves."""

    host: str
    port: int
    process: subprocess.Popen
    snapshot: Path | None = None
    log: typing.IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base_url}/store"

    def wait(self) -> int:
        return self.process.wait()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s) and remove its snapshot."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.snapshot is not None:
            shutil.rmtree(self.snapshot, ignore_errors=True)
        if self.log is not None:
            self.log.close()

    def log_tail(self) -> str:
        """The last line the server wrote (why it failed to start)."""
        if self.log is None or self.log.closed:
            return ""
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def launch(location: str | Path | None, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
           read_only: bool = True, timeout_s: int = DEFAULT_TIMEOUT_S, union: bool = True,
           snapshot_dir: Path | None = None) -> Server:
    """Start `oxigraph serve[-read-only]` and return once it answers queries.

    `union` makes the default graph the union of all document graphs, as for
    embedded queries, so saved queries give the same rows over HTTP.
    """
    if read_only and location is None:
        raise RemoteError("a read-only server needs a store folder")
    port = port or free_port(host)
    cmd = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--bind", f"{host}:{port}",
           "--timeout-s", str(timeout_s)]
    if location is not None:
        cmd += ["--location", str(location)]
    if union:
        cmd.append("--union-default-graph")
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Server.stop; not a pipe: a chatty server must never block on a full pipe
    # its own session: Ctrl-C reaches kg, which stops the server and removes the snapshot
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                               preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    server = Server(host, port, process, snapshot_dir, log)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def serve_store(store_path: str | Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                timeout_s: int = DEFAULT_TIMEOUT_S) -> Server:
    """`kg serve`: a read-only endpoint over a snapshot of the store."""
    snap = snapshot(store_path)
    try:
        return launch(snap, host, port, read_only=True, timeout_s=timeout_s, snapshot_dir=snap)
    except BaseException:
        shutil.rmtree(snap, ignore_errors=True)
        raise


def _wait_ready(server: Server, seconds: float = READY_SECONDS) -> None:
    """Poll with a trivial ASK until the server answers, it exits, or time runs out."""
    deadline = time.monotonic() + seconds
    with httpx.Client(verify=False, timeout=2.0) as client:  # plain http to loopback: no TLS set-up
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RemoteError(f"the SPARQL server on {server.base_url} exited at start: "
                                  f"{server.log_tail() or 'no message'}")
            try:
                if client.get(server.query_url, params={"query": "ASK {}"}).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise RemoteError(f"the SPARQL server on {server.base_url} did not answer within {seconds:.0f} s")


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if kg dies, so no orphan keeps the port."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


__all__ = ["Server", "launch", "serve_store", "snapshot", "free_port", "is_loopback", "oxigraph_binary"]
