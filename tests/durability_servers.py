"""Starts gunicorn servers for the durability test, each in a process group of its own, from one process
that has imported the app already (importing it is most of what starting a server costs, 20 times over).

Run as ``python -m tests.durability_servers`` with the app's settings in the environment. Each line
read from stdin is a port: a child is forked, becomes the leader of a new session (so the test can kill
it with its workers in one ``killpg``), and runs gunicorn (``--preload``, 2 workers, 2 threads) on that
port; its pid is written to stdout. The child makes its app, and so its database connections, after the
fork. Killed children are reaped by the kernel.
"""
from __future__ import annotations

import os
import signal
import sys

from gunicorn.app.base import BaseApplication

import webapp


class _Server(BaseApplication):
    def __init__(self, port: int):
        self.port = port
        super().__init__()

    def load_config(self) -> None:
        for name, value in {"bind": f"127.0.0.1:{self.port}", "workers": 2, "threads": 2,
                            "preload_app": True}.items():
            self.cfg.set(name, value)

    def load(self):
        return webapp.create_app()


def main() -> None:
    # Make one app and drop it: what create_app imports and builds the first time, the children inherit.
    warm = webapp.create_app()
    warm.extensions["minsip_db"]["engine"].dispose()  # no connection crosses a fork
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the test kills them; the kernel reaps them
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:  # the child
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # gunicorn waits for its own workers
            os.setsid()
            try:
                _Server(int(line)).run()
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
