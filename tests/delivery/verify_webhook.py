# Receiver-side verification of a Headroom webhook (Standard Webhooks), as in
# docs/WEBHOOKS.md. Usage: verify_webhook.py SECRET HEADERS.json BODY_FILE
import base64
import hashlib
import hmac
import json
import sys
import time


def verify(secret: str, headers: dict, body: bytes, tolerance_s: int = 300) -> bool:
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance_s:
        return False  # too old or from the future: possibly replayed
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header may carry several space-separated signatures (key rotation).
    return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split(" "))


if __name__ == "__main__":
    secret, headers_file, body_file = sys.argv[1:4]
    with open(headers_file) as h, open(body_file, "rb") as b:
        ok = verify(secret, json.load(h), b.read())
    print("valid" if ok else "INVALID")
    sys.exit(0 if ok else 1)
