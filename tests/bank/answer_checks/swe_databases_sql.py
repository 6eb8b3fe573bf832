"""Answer checks for quizzes/swe/databases-sql.yaml: each computes the keyed answer from first principles.

SQL items are checked by running the query with sqlite3 on an in-memory database built from the
data shown in the prompt.
"""

import sqlite3
import uuid


def _db(script: str) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.executescript(script)
    return con


_CUSTOMERS = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO customers VALUES (1, 'Ana'), (2, 'Ben'), (3, 'Chen'), (4, 'Dia');
"""


def _databases_sql_005() -> float:
    con = _db(
        _CUSTOMERS
        + """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER);
        INSERT INTO orders VALUES (10, 1), (11, 1), (12, 1), (13, 3), (14, 3);
        """
    )
    rows = con.execute(
        "SELECT c.name, o.id FROM customers AS c LEFT JOIN orders AS o ON o.customer_id = c.id"
    ).fetchall()
    return len(rows)


def _databases_sql_006() -> bool:
    con = _db(
        """
        CREATE TABLE runs (id INTEGER PRIMARY KEY, finished_at TEXT);
        INSERT INTO runs VALUES (1, NULL), (2, '2024-01-01'), (3, NULL);
        """
    )
    eq_null = con.execute("SELECT id FROM runs WHERE finished_at = NULL").fetchall()
    is_null = con.execute("SELECT id FROM runs WHERE finished_at IS NULL").fetchall()
    return eq_null == is_null and len(is_null) > 0


def _databases_sql_007() -> str:
    con = _db(
        """
        CREATE TABLE runs (run_id INTEGER PRIMARY KEY, score REAL);
        INSERT INTO runs (score) VALUES (0.91), (NULL), (0.88), (0.91), (NULL), (0.75);
        """
    )
    a, b, c = con.execute(
        "SELECT COUNT(*), COUNT(score), COUNT(DISTINCT score) FROM runs"
    ).fetchone()
    return f"{a}, {b}, {c}"


def _databases_sql_010() -> str:
    con = _db(
        _CUSTOMERS
        + """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER);
        INSERT INTO orders VALUES (10, 1), (11, 1), (12, 3);
        """
    )
    expected = {(2, "Ben"), (4, "Dia")}
    candidates = [
        "SELECT c.* FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL;",
        "SELECT c.* FROM customers c INNER JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL;",
        "SELECT c.* FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id = NULL;",
        "SELECT c.* FROM customers c LEFT JOIN orders o ON o.customer_id <> c.id;",
    ]
    (right,) = [q for q in candidates if set(con.execute(q).fetchall()) == expected]
    return f"`{right}`"


def _databases_sql_017() -> str:
    con = _db(
        """
        CREATE TABLE users (id INTEGER PRIMARY KEY);
        INSERT INTO users VALUES (1), (2), (3), (4);
        CREATE TABLE banned (user_id INTEGER);
        INSERT INTO banned VALUES (2), (NULL);
        """
    )
    (count,) = con.execute(
        "SELECT COUNT(*) FROM users WHERE id NOT IN (SELECT user_id FROM banned)"
    ).fetchone()
    return str(count)


_INDEX_OPTIONS = [
    "country = 'DE' AND signup_date >= '2024-01-01'",
    "country = 'DE'",
    "signup_date >= '2024-01-01'",
    "LOWER(country) = 'de'",
    "country = 'DE' OR signup_date >= '2024-01-01'",
]


def _databases_sql_018() -> set[str]:
    # Without ANALYZE statistics SQLite does not skip-scan, so SEARCH ... USING INDEX means a range seek.
    con = _db(
        """
        CREATE TABLE users (id INTEGER PRIMARY KEY, country TEXT, signup_date TEXT, plan TEXT);
        CREATE INDEX idx_users_country_date ON users (country, signup_date);
        """
    )
    seekable = set()
    for where in _INDEX_OPTIONS:
        plan = " | ".join(
            row[3] for row in con.execute(f"EXPLAIN QUERY PLAN SELECT * FROM users WHERE {where}")
        )
        if plan.startswith("SEARCH") and "idx_users_country_date" in plan and "|" not in plan:
            seekable.add(f"`{where}`")
    return seekable


def _databases_sql_020() -> bool:
    # Simulate READ COMMITTED: each statement sees what is committed when it starts.
    db_path = f"file:rc_check_{uuid.uuid4().hex}?mode=memory&cache=shared"
    writer = sqlite3.connect(db_path, uri=True, isolation_level=None)
    reader = sqlite3.connect(db_path, uri=True, isolation_level=None)
    writer.executescript(
        "CREATE TABLE runs (id INTEGER, status TEXT); INSERT INTO runs VALUES (1, 'running');"
    )
    first = reader.execute("SELECT * FROM runs").fetchall()
    writer.execute("UPDATE runs SET status = 'done' WHERE id = 1")  # autocommit: committed now
    second = reader.execute("SELECT * FROM runs").fetchall()
    return first == second


def _databases_sql_022() -> float:
    con = _db(
        """
        CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT);
        INSERT INTO models VALUES (1, 'churn'), (2, 'fraud'), (3, 'ranker'), (4, 'ocr');
        CREATE TABLE evals (id INTEGER PRIMARY KEY, model_id INTEGER, split TEXT);
        INSERT INTO evals VALUES (10, 1, 'holdout'), (11, 1, 'train'), (12, 3, 'holdout'), (13, 2, 'train');
        """
    )
    rows = con.execute(
        "SELECT m.name, e.id FROM models AS m LEFT JOIN evals AS e ON e.model_id = m.id "
        "WHERE e.split = 'holdout'"
    ).fetchall()
    in_join = con.execute(
        "SELECT m.name, e.id FROM models AS m "
        "LEFT JOIN evals AS e ON e.model_id = m.id AND e.split = 'holdout'"
    ).fetchall()
    assert len(in_join) == 4  # the fix the explanation gives keeps every model
    return len(rows)


def _databases_sql_023() -> float:
    keys, fanout = 10**9, 500
    levels, capacity = 1, fanout
    while capacity < keys:
        levels += 1
        capacity *= fanout
    return levels


def _databases_sql_024() -> str:
    con = _db(
        """
        CREATE TABLE daily (day TEXT, amount INTEGER);
        INSERT INTO daily VALUES ('2024-03-01', 5), ('2024-03-02', 3), ('2024-03-02', 4), ('2024-03-03', 2);
        """
    )
    rows = con.execute(
        "SELECT day, amount, SUM(amount) OVER (ORDER BY day) AS running FROM daily ORDER BY day, amount"
    ).fetchall()
    return ", ".join(str(r[2]) for r in rows)


def _databases_sql_026() -> float:
    con = _db(
        """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER);
        INSERT INTO orders VALUES (1, 7), (2, 8);
        CREATE TABLE payments (order_id INTEGER, amount INTEGER);
        INSERT INTO payments VALUES (1, 30), (1, 20), (2, 40);
        CREATE TABLE shipments (order_id INTEGER, carrier TEXT);
        INSERT INTO shipments VALUES (1, 'DHL'), (1, 'UPS'), (1, 'DPD'), (2, 'DHL');
        """
    )
    (_, paid, _parcels) = con.execute(
        """
        SELECT o.id, SUM(p.amount) AS paid, COUNT(s.carrier) AS parcels
        FROM orders o
        JOIN payments  p ON p.order_id = o.id
        JOIN shipments s ON s.order_id = o.id
        WHERE o.id = 1
        GROUP BY o.id
        """
    ).fetchone()
    return paid


def _databases_sql_027() -> str:
    candidates = [
        "created_at, user_id, amount",
        "created_at",
        "user_id, created_at",
        "amount, user_id, created_at",
    ]
    good = []
    for cols in candidates:
        con = _db(
            f"""
            CREATE TABLE payments (id INTEGER PRIMARY KEY, user_id INTEGER, amount REAL, created_at TEXT);
            CREATE INDEX idx ON payments ({cols});
            """
        )
        plan = [
            row[3]
            for row in con.execute(
                "EXPLAIN QUERY PLAN SELECT user_id, SUM(amount) FROM payments "
                "WHERE created_at >= '2024-06-01' GROUP BY user_id"
            )
        ]
        access = plan[0]
        if access.startswith("SEARCH") and "COVERING INDEX idx" in access:
            good.append(cols)
    (right,) = good
    return f"`({right})`"


def _databases_sql_028() -> str:
    con = _db(
        """
        CREATE TABLE runs (run_id INTEGER PRIMARY KEY, accuracy REAL);
        INSERT INTO runs VALUES (1, 0.71), (2, 0.93), (3, 0.88), (4, 0.64), (5, 0.90);
        """
    )
    rows = con.execute(
        "SELECT run_id, accuracy FROM runs ORDER BY accuracy DESC LIMIT 3"
    ).fetchall()
    assert [acc for _, acc in rows] == sorted(
        (a for (a,) in con.execute("SELECT accuracy FROM runs")), reverse=True
    )[:3]
    return "The three runs with the highest accuracy, best first"


def _databases_sql_029() -> bool:
    con = _db(
        """
        CREATE TABLE predictions (id INTEGER PRIMARY KEY, created TEXT);
        INSERT INTO predictions VALUES (1, '2024-05-01'), (2, '2024-05-08'), (3, '2024-05-09');
        DELETE FROM predictions;
        """
    )
    return con.execute("SELECT COUNT(*) FROM predictions").fetchone() == (0,)


def _databases_sql_030() -> float:
    con = _db(
        """
        CREATE TABLE runs (run_id INTEGER PRIMARY KEY, score REAL);
        INSERT INTO runs (score) VALUES (0.9), (NULL), (0.6), (NULL), (0.6);
        """
    )
    (avg,) = con.execute("SELECT AVG(score) FROM runs").fetchone()
    return avg


def _databases_sql_033() -> float:
    con = _db(
        """
        CREATE TABLE daily_signups (day TEXT, n INTEGER);
        INSERT INTO daily_signups VALUES
            ('2024-05-01', 10), ('2024-05-02', 20), ('2024-05-05', 60), ('2024-05-06', 30);
        """
    )
    rows = dict(
        con.execute(
            "SELECT day, AVG(n) OVER (ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) "
            "FROM daily_signups"
        ).fetchall()
    )
    return rows["2024-05-05"]


CHECKS = {
    "databases-sql-005": _databases_sql_005,
    "databases-sql-006": _databases_sql_006,
    "databases-sql-007": _databases_sql_007,
    "databases-sql-010": _databases_sql_010,
    "databases-sql-017": _databases_sql_017,
    "databases-sql-018": _databases_sql_018,
    "databases-sql-020": _databases_sql_020,
    "databases-sql-022": _databases_sql_022,
    "databases-sql-023": _databases_sql_023,
    "databases-sql-024": _databases_sql_024,
    "databases-sql-026": _databases_sql_026,
    "databases-sql-027": _databases_sql_027,
    "databases-sql-028": _databases_sql_028,
    "databases-sql-029": _databases_sql_029,
    "databases-sql-030": _databases_sql_030,
    "databases-sql-033": _databases_sql_033,
}
