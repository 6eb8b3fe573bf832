"""Answer checks for quizzes/swe/cloud-containers.yaml: each computes the keyed answer from first principles."""

import math


def _cloud_containers_011() -> float:
    # An endpoint bills per provisioned hour, requests or not.
    return 30 * 24 * 1.20


_DOCKERFILE_013 = [
    ("FROM", "python:3.11-slim", set()),
    ("RUN", "apt-get install libgomp1", set()),
    ("WORKDIR", "/app", set()),
    ("COPY", "requirements.txt", {"requirements.txt"}),
    ("RUN", "pip install -r requirements.txt", set()),
    ("COPY", "src/", {"src/"}),
    ("COPY", "configs/", {"configs/"}),
    ("CMD", "python -m src.serve", set()),
]


def _cloud_containers_013() -> float:
    # A step is a cache hit only if its parent was a hit and (for COPY) its inputs are unchanged.
    changed_files = {"requirements.txt"}
    parent_hit = True
    rebuilt = 0
    for instruction, _, inputs in _DOCKERFILE_013:
        hit = parent_hit and not (inputs & changed_files)
        if not hit and instruction in ("RUN", "COPY"):
            rebuilt += 1
        parent_hit = hit
    return rebuilt


def _cloud_containers_015() -> float:
    # Content-addressed layers are stored once per host, whatever number of images use them.
    image_a = {"python:3.11-slim": 130, "deps": 700, "app-a": 20}
    image_b = {"python:3.11-slim": 130, "deps": 700, "app-b": 30}
    return sum((image_a | image_b).values())


def _cloud_containers_018() -> float:
    # The scheduler fits pods by requests, resource by resource; the scarcest one binds.
    allocatable = {"cpu": 8.0, "memory_gib": 30.0}
    request = {"cpu": 1.5, "memory_gib": 7.0}
    return min(math.floor(allocatable[r] / request[r]) for r in allocatable)


def _cloud_containers_022() -> float:
    # HPA: desired = ceil(current * currentMetric / target) when outside the 10% tolerance.
    current, metric, target = 5, 85.0, 60.0
    ratio = metric / target
    assert abs(ratio - 1) > 0.1
    return math.ceil(current * ratio)


def _cloud_containers_027() -> float:
    # Spot: 3 interruptions x (half of a 30-minute checkpoint interval + 5 minutes of start-up).
    work_hours = 10.0
    lost_hours = 3 * (30 / 2 + 5) / 60
    return (work_hours + lost_hours) * 1.20


def _cloud_containers_030() -> float:
    # maxSurge rounds up, maxUnavailable rounds down (Kubernetes Deployment docs).
    replicas = 10
    max_surge = math.ceil(replicas * 0.25)
    max_unavailable = math.floor(replicas * 0.25)
    assert replicas - max_unavailable == 8
    return replicas + max_surge


def _cloud_containers_034() -> float:
    gb_per_tb = 1000
    return 40 * gb_per_tb * 10 * 0.02


CHECKS = {
    "cloud-containers-011": _cloud_containers_011,
    "cloud-containers-013": _cloud_containers_013,
    "cloud-containers-015": _cloud_containers_015,
    "cloud-containers-018": _cloud_containers_018,
    "cloud-containers-022": _cloud_containers_022,
    "cloud-containers-027": _cloud_containers_027,
    "cloud-containers-030": _cloud_containers_030,
    "cloud-containers-034": _cloud_containers_034,
}
