"""What kind of file a path is, in the words the messages use (Spanish)."""

from __future__ import annotations

import stat


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (not a regular file), or ``None``."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "es una carpeta, no un archivo"
    if stat.S_ISFIFO(mode):
        return "es una tubería (FIFO), no un archivo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "es un dispositivo, no un archivo"
    if stat.S_ISSOCK(mode):
        return "es un socket, no un archivo"
    return "no es un archivo normal"
