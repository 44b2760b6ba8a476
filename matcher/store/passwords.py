"""The password policy, after the NCSC's password guidance: length and a deny list, not composition rules.

The NCSC advises against complexity rules and forced expiry (they lead to predictable passwords
written down) and for a minimum length and a deny list of the passwords attackers try first. So a
new password here must be at least ``MIN_LENGTH`` characters and must not be, or merely dress up:

- one of the 20,000 most common breached passwords (``deny_list/``, shipped with the code, read
  once; no network),
- that password repeated (``passwordpassword``) or with digits and symbols around it
  (``Password2024!``), or one character or short run repeated,
- the published demo password (accepted only by the local ``demo-users`` command),
- the person's own email name or this service's name.

There is no rule about capitals, digits or symbols: three random words pass, and the hint says so.
"""
from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256  # room for any passphrase; argon2 hashes it in the same time whatever its length
DENY_LIST = Path(__file__).with_name("deny_list") / "common-passwords.txt.gz"
DEMO_PASSWORD = "local-demo-only"  # nosec B105  # the published local demo password, refused everywhere else
SERVICE_WORDS = ("buddying", "local-demo-only", "localdemoonly")
ADVICE = "; choose another (three random words make a strong, memorable password)"


@functools.cache
def deny_list() -> frozenset[str]:
    """The common passwords, lowercased (hashcat's ``$hex[...]`` entries decoded)."""
    words = set()
    for line in gzip.decompress(DENY_LIST.read_bytes()).decode("utf-8", "replace").splitlines():
        if line.startswith("$hex[") and line.endswith("]"):
            try:
                line = bytes.fromhex(line[5:-1]).decode("utf-8")
            except ValueError:
                continue
        words.add(line.strip().lower())
    return frozenset(word for word in words if word)


def password_problem(password: str, email: str = "", allow_demo: bool = False) -> str | None:
    """What is wrong with a new password, in words for the person choosing it; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"the password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if password == DEMO_PASSWORD:
        return None if allow_demo else "the password is the published demo password" + ADVICE
    if any(word in lowered for word in SERVICE_WORDS):
        return "the password must not contain the name of this service or its demo password" + ADVICE
    name = email.split("@", 1)[0].lower()
    if len(name) >= 4 and name in lowered:
        return "the password must not contain your email name" + ADVICE
    if _common(lowered):
        return "the password is one of the most common passwords, which attackers try first" + ADVICE
    return None


def _common(lowered: str) -> bool:
    """On the deny list as it is, with digits and symbols around it taken off, or as a repeat."""
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    candidates = {lowered, core, re.sub(r"\s+", "", lowered)}
    if any(word in deny_list() for word in candidates):
        return True
    return any(_repeat_of(word) for word in candidates if word)


def _repeat_of(text: str) -> bool:
    """``abcabcabc``, ``passwordpassword``, ``aaaaaaaa``: a shorter run repeated (a common password or not)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return size <= 4 or text[:size] in deny_list()
    return False
