"""Answer checks for quizzes/swe/apis-deployment.yaml: each computes the keyed answer from first principles."""

import math
from http import HTTPStatus


def _status_line(status: HTTPStatus) -> str:
    return f"{status.value} {status.phrase}"


def _apis_deployment_015() -> float:
    # FastAPI answers request-validation failures with "Unprocessable Entity"
    # (renamed "Unprocessable Content" in RFC 9110 / Python 3.13; same code).
    status = (
        getattr(HTTPStatus, "UNPROCESSABLE_ENTITY", None) or HTTPStatus["UNPROCESSABLE_CONTENT"]
    )
    return status.value


def _apis_deployment_016() -> float:
    capacity_per_replica = 50.0
    max_utilisation = 0.70
    peak = 1200.0
    usable = capacity_per_replica * max_utilisation
    replicas = math.ceil(peak / usable - 1e-12)
    assert replicas * usable >= peak and (replicas - 1) * usable < peak
    return replicas


def _apis_deployment_021() -> float:
    # Retry amplification: each hop makes up to 4 attempts at the next one; the database always fails.
    attempts_per_hop = 1 + 3
    hops = ["gateway", "api", "feature-service"]

    def db_calls(level: int) -> int:
        if level == len(hops):  # this call is the database itself
            return 1
        return sum(db_calls(level + 1) for _ in range(attempts_per_hop))  # every attempt fails

    return db_calls(0)


def _apis_deployment_027() -> float:
    shards = 10
    p_slow = 0.01
    return 1 - (1 - p_slow) ** shards


def _apis_deployment_031() -> float:
    # Offset pagination, newest first: 7 rows are inserted at the top between page 1 and page 2.
    limit = 100
    rows = [f"old-{i}" for i in range(1000)]  # index 0 = newest
    page_1 = rows[0:limit]
    rows = [f"new-{i}" for i in range(7)] + rows
    page_2 = rows[limit : 2 * limit]
    return len(set(page_1) & set(page_2))


CHECKS = {
    "apis-deployment-002": lambda: _status_line(HTTPStatus.NOT_FOUND),
    "apis-deployment-005": lambda: HTTPStatus.CREATED.value,
    "apis-deployment-015": _apis_deployment_015,
    "apis-deployment-016": _apis_deployment_016,
    "apis-deployment-021": _apis_deployment_021,
    "apis-deployment-023": lambda: _status_line(HTTPStatus.GATEWAY_TIMEOUT),
    "apis-deployment-027": _apis_deployment_027,
    "apis-deployment-028": lambda: _status_line(HTTPStatus.FORBIDDEN),
    "apis-deployment-031": _apis_deployment_031,
    "apis-deployment-032": lambda: (
        f"{_status_line(HTTPStatus.PRECONDITION_FAILED)}, without applying the update"
    ),
}
