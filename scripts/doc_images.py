"""Renders the README's pictures: a rating notice and the bulletin of the Zongyang demo cycle, and the first page
of the methodology validation report (2024年度 judged by 2025年度), as PNG pages.

Runs the demo in a scratch database (nothing of the checkout's var/ is touched), publicizes cycle 1 (dated the day
it runs: a notice date is never before the day of publicizing), and turns the PDFs into PNGs with pdftoppm:

    .venv/bin/python scripts/doc_images.py   # writes docs/images/notice-*.png, bulletin-*.png, validation-report-1.png
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="doc-images-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch / 'demo.db'}",
           "RATING_DOCUMENTS_DIR": str(scratch / "documents"), "RATING_RENDER_ON_PUBLICIZE": "false"}
    rating = str(Path(sys.executable).with_name("rating"))
    subprocess.run([rating, "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([rating, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([rating, "cycle", "publicize", "1", "--processes", "2"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    from rating_service.db import get_database
    from rating_service.notices import repository, service

    database = get_database()
    with database.read_session() as session:
        documents, _ = repository.list_documents(session, cycle_id=1)
        bulletin = next(d for d in documents if d.kind == "bulletin")
        # The demo company1 manages 山水兰亭; any notice with reasons shows the layout as well.
        notice = next(d for d in documents if d.kind == "notice" and d.credit_code == _company1(session))
        pairs = [(bulletin, "bulletin"), (notice, "notice")]
        OUT.mkdir(parents=True, exist_ok=True)
        for document, stem in pairs:
            for old in OUT.glob(f"{stem}-*.png"):
                old.unlink()
            pdf = service.storage_path(document.id, document.cycle_id)
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(OUT / stem)], check=True)
        _validation_page(session)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


def _validation_page(session: object) -> None:
    from rating_service.cycles import repository as cycles_repo
    from rating_service.validation import report_pdf, service

    first, then = cycles_repo.cycle_by_name(session, "2024年度"), cycles_repo.cycle_by_name(session, "2025年度")  # type: ignore[arg-type]
    assert first is not None and then is not None, "the demo rates 2024 and 2025"
    report = service.validate(session=session, cycle_id=first.id, next_id=then.id).as_dict()  # type: ignore[arg-type]
    pdf = OUT / "validation-report.pdf"
    pdf.write_bytes(report_pdf.render_report(report, lang="zh", issuer="枞阳县住房和城乡建设局"))
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf), str(OUT / "validation-report")],
                   check=True)
    pdf.unlink()


def _company1(session: object) -> str:
    from rating_service.accounts import repository as accounts

    user = accounts.user_by_username(session, "company1")  # type: ignore[arg-type]
    assert user is not None and user.credit_code, "the demo creates company1"
    return user.credit_code


if __name__ == "__main__":
    sys.exit(main())
