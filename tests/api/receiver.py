"""A webhook receiver the test starts on a loopback port it chooses: it keeps what it was sent and
answers with the codes it is told to, in turn."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, answers=(200,), delay=0.0, answer_once=None):
        """`answer_once`: a condition the receiver waits for (up to 30 s) before answering, as a
        receiver busy with something else would."""
        self.answers = list(answers)
        self.received = []
        self.answered = []  # time.time() of each answer, after its delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append((self.headers, body))  # looked up without regard to case
                time.sleep(delay)  # a slow receiver: another sender could start meanwhile
                waited = time.monotonic() + 30
                while answer_once is not None and not answer_once() and time.monotonic() < waited:
                    time.sleep(0.05)
                receiver.answered.append(time.time())  # before the answer, which the sender may read at once
                code = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"diterima" if code < 300 else b"sedang sibuk")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/kait"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
