"""A stand-in for NCALayer on 127.0.0.1, speaking its exact WebSocket messages.

It greets with a version, refuses the KAZTOKEN probe as NCALayer does, and answers
``kz.gov.pki.knca.basics``/``sign`` with a detached CMS made by a test key over the
bytes the page sent — or with a cancel or an error, as the test chooses. The page, the
vendored client and the server's verification are all real; only the key store is not.
"""

import base64
import json
import threading

from websockets.sync.server import serve

from . import pki


class FakeNCALayer:
    def __init__(self, signer: pki.Issued, *, extra=()):
        self.signer, self.extra = signer, extra
        self.mode = "sign"  # or "cancel", "error"
        self.requests: list[dict] = []
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _handle(self, ws):
        ws.send(json.dumps({"result": {"version": "1.4"}}))
        for raw in ws:
            message = json.loads(raw)
            self.requests.append(message)
            if message.get("module") != "kz.gov.pki.knca.basics":
                ws.send(json.dumps({"status": False, "code": "MODULE_NOT_FOUND"}))
                continue
            ws.send(json.dumps(self._answer(message["args"])))

    def _answer(self, args: dict) -> dict:
        if self.mode == "cancel":
            return {"status": True, "body": {}}
        if self.mode == "error":
            return {"status": False, "code": "INVOCATION_ERROR", "message": "key error"}
        data = base64.b64decode(args["data"])
        cms = pki.sign(data, self.signer, extra=self.extra).decode()
        return {"status": True, "body": {"result": [cms]}}
