"""Password hashing: Argon2id with OWASP's recommended cost.

Django's default Argon2 cost takes 100 MiB per hash, which alone would push a web
process over its 150 MiB budget at every sign-in. OWASP's recommendation (19 MiB,
two passes) keeps the hash memory-hard at a fifth of that. Hashes made with other
parameters still verify and are upgraded at the next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
