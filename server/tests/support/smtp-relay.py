"""An SMTP relay on loopback for the mail tests: aiosmtpd with TLS (STARTTLS required, or
implicit TLS) and AUTH PLAIN/LOGIN required. Each accepted message is written to a file in OUTDIR.
A recipient starting with "langsam" gets the answer to DATA only after SLOW seconds (the message is
stored first), as a relay that answers too late.

Usage: smtp-relay.py PORT MODE(starttls|tls) CERT KEY USER PASSWORD OUTDIR SLOW
"""
import asyncio
import logging
import os
import ssl
import sys
import time
import warnings

# aiosmtpd warns about its own deprecated attributes and about AUTH over implicit TLS.
warnings.filterwarnings("ignore")
# A client that refuses the certificate ends the session; that is the test, not an error here.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, mode, cert, key, user, password, outdir, slow = sys.argv[1:9]
os.makedirs(outdir, exist_ok=True)
count = 0


class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        name = os.path.join(outdir, f"{time.time_ns()}-{count}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        if any(r.startswith("langsam") for r in envelope.rcpt_tos):
            await asyncio.sleep(float(slow))
        return "250 2.0.0 Ok: queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
common = dict(hostname="127.0.0.1", port=int(port), authenticator=authenticator, auth_required=True)
if mode == "tls":
    # The whole connection is TLS; aiosmtpd only tracks STARTTLS, so AUTH is allowed outright.
    controller = Controller(Handler(), ssl_context=context, auth_require_tls=False, **common)
else:
    controller = Controller(Handler(), tls_context=context, require_starttls=True, auth_require_tls=True, **common)
controller.start()
print("bereit", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
