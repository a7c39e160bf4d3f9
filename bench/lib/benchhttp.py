"""Small HTTP/JSON client for the bench scripts (python3 stdlib only): one keep-alive connection per instance."""

import http.client
import json
import urllib.parse


class HTTPError(Exception):
    def __init__(self, method, path, status, body):
        super().__init__(f"{method} {path} -> {status}: {body[:400]}")
        self.method, self.path, self.status, self.body = method, path, status, body


class Client:
    def __init__(self, base_url, timeout=30.0):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.timeout = timeout
        self.conn = None

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def raw(self, method, path, body=None, token=None, headers=None):
        """Sends one request; returns (status, body text). Reconnects once if the kept-alive socket was closed."""
        hdrs = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if token:
            hdrs["Authorization"] = "Bearer " + token
        if headers:
            hdrs.update(headers)
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp.status, text
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed while idle: retry once on a fresh one.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def call(self, method, path, body=None, token=None, expect=(200, 201), headers=None):
        status, text = self.raw(method, path, body=body, token=token, headers=headers)
        if status not in expect:
            raise HTTPError(method, path, status, text)
        return json.loads(text) if text else None
