"""Numbers and files stay right when two requests issue or write at the same time."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.notices import repository, service


def test_two_transactions_taking_the_first_numbers_of_a_year_get_disjoint_ranges(database):
    """The year's counter row does not exist yet: both create it without a duplicate-key error, then queue."""
    first_holds = threading.Event()
    release = threading.Event()
    ranges: dict[str, range] = {}

    def first() -> None:
        with database.write_session() as session:
            ranges["first"] = repository.take_numbers(session, year=2030, count=2)
            first_holds.set()
            release.wait(timeout=10)

    def second() -> None:
        first_holds.wait(timeout=10)
        with database.write_session() as session:
            ranges["second"] = repository.take_numbers(session, year=2030, count=3)

    with ThreadPoolExecutor(max_workers=2) as pool:
        one = pool.submit(first)
        two = pool.submit(second)
        first_holds.wait(timeout=10)
        release.set()
        one.result(timeout=30)
        two.result(timeout=30)
    assert list(ranges["first"]) == [1, 2]
    assert list(ranges["second"]) == [3, 4, 5]


def test_concurrent_writers_of_one_document_never_trip_over_each_other(tmp_path):
    target = tmp_path / "cycle-1" / "7.pdf"
    payloads = [bytes([i]) * 200_000 for i in range(2)]
    errors: list[BaseException] = []

    def write(data: bytes) -> None:
        try:
            for _ in range(100):
                service._write_atomically(target, data)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_bytes() in payloads  # whole, never a mix
    assert list(target.parent.glob("*.tmp")) == []  # no temporary file left behind


def test_documents_of_an_unknown_cycle_is_an_error(database):
    result = CliRunner().invoke(app, ["cycle", "documents", "42"])
    assert result.exit_code == 2
    assert "42" in result.output
