"""`ygmon serve`'s app on a fixed loopback port that a test can stop and start again."""

from __future__ import annotations

import threading
import time

import uvicorn

from ygmon.api.app import create_app
from ygmon.config import LocalProfile


class RestartableServer:
    def __init__(self, profile: LocalProfile, port: int, clock=None) -> None:
        self.profile = profile
        self.port = port
        self.clock = clock
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        app = create_app(self.profile, clock=self.clock)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._server = None
