"""The sizing rule for a student's server (README.md, "Class hub"), from `make hub-benchmark`.

Memory: a server with one notebook open peaked at about 270 MB and each further notebook adds about
110 MB, so 512 MB guaranteed and 1 GB at most. CPU: 1/8 of a core guaranteed, so that a class starting
together gets its servers within about a minute; one core at most.
"""

MEMORY = {"guarantee": "512M", "limit": "1G"}
CPU = {"guarantee": 0.125, "limit": 1}
HEADROOM_GB = 2  # the system, the hub and the proxy


def students_at_once(cores: float, memory_gb: float) -> int:
    """How many students one machine (or node) holds: the smaller of its memory and its CPU share."""
    return int(min((memory_gb - HEADROOM_GB) / 0.5, cores / CPU["guarantee"]))
