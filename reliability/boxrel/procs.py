"""Processes the suite starts and breaks: the app server (through scripts/lib/server.sh), and the
PostgreSQL and Redis servers that scripts/services.sh started (found through its state file)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def wait_gone(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


class AppServer:
    """`boxoffice serve` on 127.0.0.1:port, started with bx_server_start (waits for /health)."""

    def __init__(self, root: Path, binary: Path, port: int, env: dict[str, str], log: Path):
        self.root, self.binary, self.port, self.env, self.log = root, binary, port, env, log
        self.pid: int | None = None
        self.starts = 0

    def start(self) -> float:
        """Starts the server and returns the seconds until /health answered."""
        self.starts += 1
        log = self.log.with_suffix(f".{self.starts}.log")
        script = (
            'source scripts/lib/server.sh; BIN="$1"; shift; log="$1"; port="$2"; shift 2; '
            'bx_server_start SPID "$log" "$port" "$@" || exit 1; echo "$SPID"'
        )
        args = [f"{k}={v}" for k, v in self.env.items()]
        t0 = time.monotonic()
        out = subprocess.run(
            ["bash", "-c", script, "bash", str(self.binary), str(log), str(self.port), *args],
            cwd=self.root, stdout=subprocess.PIPE, text=True, timeout=90,
        )
        if out.returncode != 0:
            raise RuntimeError(f"the server did not start (log {log})")
        self.pid = int(out.stdout.split()[-1])
        self.current_log = log
        return time.monotonic() - t0

    def kill9(self) -> None:
        if self.pid and _alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
            wait_gone(self.pid, 5)

    def stop(self) -> None:
        if self.pid and _alive(self.pid):
            os.kill(self.pid, signal.SIGTERM)
            if not wait_gone(self.pid, 10):
                os.kill(self.pid, signal.SIGKILL)
                wait_gone(self.pid, 5)
        self.pid = None


class Services:
    """PostgreSQL and Redis of scripts/services.sh, controlled by pid and port from its state file
    (kept up to date here, so `scripts/services.sh stop` still finds servers restarted by a scenario)."""

    def __init__(self, state_file: Path):
        self.state_file = state_file
        self.state = self._read()

    def _read(self) -> dict[str, str]:
        state = {}
        for line in self.state_file.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                state[key] = (shlex.split(value) or [""])[0]
        return state

    def _set(self, key: str, value: str) -> None:
        self.state[key] = value
        lines = []
        for line in self.state_file.read_text().splitlines():
            lines.append(f"{key}={shlex.quote(value)}" if line.startswith(key + "=") else line)
        self.state_file.write_text("\n".join(lines) + "\n")

    # --- Redis ------------------------------------------------------------------------------------

    @property
    def redis_port(self) -> int:
        return int(self.state["SERVICES_REDIS_PORT"])

    @property
    def redis_pid(self) -> int:
        return int(self.state["SERVICES_REDIS_PID"])

    def redis_cli(self, *args: str) -> str:
        out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.redis_port), *args],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
        return out.stdout.strip()

    def redis_stop(self, hard: bool = False) -> None:
        os.kill(self.redis_pid, signal.SIGKILL if hard else signal.SIGTERM)
        if not wait_gone(self.redis_pid, 10):
            raise RuntimeError(f"redis-server {self.redis_pid} did not stop")

    def redis_start(self) -> None:
        """Starts redis-server again on the same port, exactly as scripts/services.sh does."""
        tmp = self.state["SERVICES_TMP"]
        pidfile = Path(tmp) / "redis.pid"
        pidfile.unlink(missing_ok=True)
        subprocess.run(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(pidfile), "--dir", tmp,
             "--logfile", f"{tmp}/redis.log"], check=True, timeout=20, stdout=subprocess.DEVNULL)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            if pidfile.exists() and pidfile.read_text().strip() and self.redis_cli("ping") == "PONG":
                self._set("SERVICES_REDIS_PID", pidfile.read_text().strip())
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not come back")

    # --- PostgreSQL -------------------------------------------------------------------------------

    @property
    def pg_port(self) -> int:
        return int(self.state["SERVICES_PG_PORT"])

    @property
    def pg_pid(self) -> int:
        return int(self.state["SERVICES_PG_PID"])

    @property
    def database_url(self) -> str:
        return f"postgres://boxoffice:boxoffice@127.0.0.1:{self.pg_port}/boxoffice"

    def psql_command(self) -> list[str]:
        return [f"{self.state['SERVICES_PG_BIN']}/psql", "-X", "-q", "-At", "-F", "|", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "boxoffice", "-d", "boxoffice"]

    def _pg_ctl(self, *args: str) -> None:
        tmp = self.state["SERVICES_TMP"]
        cmd = [f"{self.state['SERVICES_PG_BIN']}/pg_ctl", "-D", f"{tmp}/pgdata", *args]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", self.state["SERVICES_PG_USER"], "--", *cmd]
        subprocess.run(cmd, cwd=tmp, check=True, timeout=90, stdout=subprocess.DEVNULL)

    def pg_stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "-t", "30", "stop")
        wait_gone(self.pg_pid, 10)

    def pg_start(self) -> None:
        tmp = self.state["SERVICES_TMP"]
        self._pg_ctl("-l", f"{tmp}/postgres.log", "-w", "-t", "60", "start")
        pid = (Path(tmp) / "pgdata" / "postmaster.pid").read_text().splitlines()[0].strip()
        self._set("SERVICES_PG_PID", pid)

    def pg_processes(self) -> list[int]:
        """The postmaster and every process it forked (backends, checkpointer, ...)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.pg_pid)], stdout=subprocess.PIPE, text=True)
        return [self.pg_pid] + [int(p) for p in out.stdout.split()]

    def pg_signal(self, sig: signal.Signals, pids: list[int] | None = None) -> list[int]:
        """Sends sig to the given processes (default: all of PostgreSQL's); returns the pids signalled.

        Without pids, lists the processes again after signalling until no new one appears: a backend the postmaster
        forked between the listing and the signal would otherwise keep serving its connection through a "freeze"
        (one pg-frozen run saw the app's requests answered in 14 ms by such a backend)."""
        if pids:
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            return pids
        signalled: list[int] = []
        for _ in range(20):
            fresh = [pid for pid in self.pg_processes() if pid not in signalled]
            if not fresh:
                break
            for pid in fresh:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            signalled += fresh
        return signalled
