#!/usr/bin/env python3
"""A local SMTP server for Plantlog's alarm e-mail tests (issue 13), with aiosmtpd.

Every message it accepts is appended as one JSON line to --out (Message-ID, Subject,
the envelope's sender and recipients, the login used if any) before it answers "250",
so what the file holds is what the server took. Prints "READY host:port" on stdout once
it listens; runs until killed.

    smtp_sink.py --port 2525 --out mails.jsonl [--auth user:password]
"""

import argparse
import email
import json
import sys
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content)
        login = session.auth_data
        if isinstance(login, bytes):
            login = login.decode()
        elif not isinstance(login, str):
            login = None
        record = {
            "message_id": msg.get("Message-ID"),
            "subject": msg.get("Subject"),
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": login,
            "body": msg.get_payload(decode=True).decode("utf-8", "replace"),
            "at": time.time(),
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
            f.flush()
        return "250 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        ):
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)

    return check


def main():
    warnings.filterwarnings("ignore")
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--auth", help="user:password the server requires")
    a = p.parse_args()
    kwargs = {}
    if a.auth:
        user, password = a.auth.split(":", 1)
        kwargs = dict(
            authenticator=authenticator(user, password),
            auth_required=True,
            auth_require_tls=False,
        )
    c = Controller(Sink(a.out), hostname=a.host, port=a.port, **kwargs)
    c.start()
    print(f"READY {a.host}:{a.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        c.stop()


if __name__ == "__main__":
    sys.exit(main())
