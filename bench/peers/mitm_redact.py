"""
The benchmark's mitmproxy addon: what a user would write to redact secrets with mitmdump. Replaces AWS
access key ids and e-mail addresses in request bodies with placeholders, as llmgate's placeholders look.

    mitmdump -s bench/peers/mitm_redact.py
"""
import re

from mitmproxy import http

AWS_KEY = re.compile(rb"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b")
EMAIL = re.compile(rb"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")


class Redact:
    def request(self, flow: http.HTTPFlow) -> None:
        body = flow.request.content
        if not body:
            return
        redacted = AWS_KEY.sub(b"[REDACTED:aws-access-key-id]", body)
        redacted = EMAIL.sub(b"[REDACTED:email]", redacted)
        if redacted is not body and redacted != body:
            flow.request.content = redacted

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        # mitmproxy buffers whole responses by default; a chat client needs streamed answers as they come.
        if "event-stream" in flow.response.headers.get("content-type", ""):
            flow.response.stream = True


addons = [Redact()]
