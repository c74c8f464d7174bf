"""Role × route matrix: every route of the app, each role's exact answer; a company never sees another's data.

Roles: the anonymous public, a company user (bound to 皖江物业, CODE_A), an officer and an admin. Pages
answer "log in first" with a 303 to /login instead of 401. A route added to the app without a row here
fails ``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from rating_service.cycles import service as cycles
from rating_service.notices import repository as documents_repo
from rating_service.settings import PROJECT_ROOT
from rating_service.web.app import create_app
from tests import factories as f

ROLES = ("anonymous", "company", "officer", "admin")
ACTORS = ("officer", "admin")
OWN, OTHER = f.CODE_A, f.CODE_B


@dataclass
class World:
    published: int  # publicized: companies may see it
    draft: int  # draft: companies must not see it
    computed: dict[str, int] = field(default_factory=dict)  # per actor, to publicize
    publicized: dict[str, int] = field(default_factory=dict)  # per actor, to finalize
    drafts: dict[str, int] = field(default_factory=dict)  # per actor, to compute
    job_drafts: dict[str, int] = field(default_factory=dict)  # per actor, to compute in the background
    page_targets: dict[str, dict[str, int]] = field(default_factory=dict)  # the same for the page forms
    job: int = 0
    documents: dict[str, int] = field(default_factory=dict)  # the published cycle's: bulletin, own, other
    code: str = ""  # the verification code of the company's own notice
    later: int = 0  # computed, a period after the others': the outcome cycle of a validation
    # the other company's repair request (its fee violation SF-002 in the published cycle) and its evidence: the
    # company user must get 404 for both, officers see them
    repair_other: int = 0
    repair_other_file: int = 0


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the route's template, as the app declares it
    expect: tuple[int, int, int, int]  # anonymous, company, officer, admin
    path: Callable[[World, str], str] | None = None  # concrete path for a role (default: the template)
    body: Callable[[World, str], dict[str, Any]] | None = None
    page: bool = False  # a browser form (cookie + CSRF) rather than a bearer-token API call
    files: bool = False
    form: bool = False  # an API call with a multipart form body (not JSON)

    def url(self, world: World, role: str) -> str:
        return self.path(world, role) if self.path else self.route


def _actor(role: str) -> str:
    return role if role in ACTORS else "officer"


def _complaint_upload() -> dict[str, Any]:
    return {"files": ("complaints.csv", f.upload("complaints", f.COMPLAINTS).data, "text/csv")}


CASES = [
    # public and account routes
    Case("GET", "/healthz", (200, 200, 200, 200)),
    Case("GET", "/openapi.json", (200, 200, 200, 200)),
    Case("GET", "/readyz", (200, 200, 200, 200)),
    # -- i20 obs: answered by address and token (settings), not by account: the test client's address is none of
    # the allowed ones (tests/rating_service/observability/test_metrics.py)
    Case("GET", "/metrics", (403, 403, 403, 403)),
    Case("GET", "/docs", (200, 200, 200, 200)),
    Case("GET", "/docs/redoc", (200, 200, 200, 200)),
    Case("GET", "/api/v1/me", (401, 200, 200, 200)),
    Case("GET", "/api/v1/users", (401, 403, 403, 200)),
    Case("POST", "/api/v1/users", (401, 403, 403, 201),
         body=lambda w, r: {"username": f"new-{r}", "password": f.PASSWORD, "role": "officer"}),
    Case("POST", "/api/v1/users/{username}/disable", (401, 403, 403, 200),
         path=lambda w, r: "/api/v1/users/spare/disable", body=lambda w, r: {"reason": "test"}),
    Case("POST", "/api/v1/users/{username}/enable", (401, 403, 403, 200),
         path=lambda w, r: "/api/v1/users/spare/enable", body=lambda w, r: {}),
    Case("POST", "/api/v1/users/{username}/reset-password", (401, 403, 403, 200),
         path=lambda w, r: "/api/v1/users/spare/reset-password", body=lambda w, r: {}),
    # A wrong current password: every account may try, none changes (a change would end the matrix's other clients).
    Case("POST", "/api/v1/me/password", (401, 400, 400, 400),
         body=lambda w, r: {"current_password": "not-the-password", "new_password": "amber-lantern-47"}),
    Case("GET", "/api/v1/audit", (401, 403, 403, 200)),
    # appeals: a company files against its own publicized rating; officers and the filing company read them
    Case("POST", "/api/v1/cycles/{cycle_id}/appeals", (401, 201, 403, 403), form=True,
         path=lambda w, r: f"/api/v1/cycles/{w.published}/appeals",
         body=lambda w, r: {"scope": "calculation", "grounds": "计算有误"}),
    Case("GET", "/api/v1/cycles/{cycle_id}/appeals", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/appeals"),
    Case("GET", "/api/v1/appeals/{appeal_id}", (401, 404, 404, 404), path=lambda w, r: "/api/v1/appeals/999999"),
    Case("GET", "/api/v1/appeals/{appeal_id}/attachments/{attachment_id}", (401, 404, 404, 404),
         path=lambda w, r: "/api/v1/appeals/999999/attachments/1"),
    Case("POST", "/api/v1/appeals/{appeal_id}/decision", (401, 403, 404, 404),
         path=lambda w, r: "/api/v1/appeals/999999/decision",
         body=lambda w, r: {"outcome": "rejected", "reasons": "x", "items": []}),
    Case("GET", "/api/v1/cycles/{cycle_id}/appeal-statistics", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/appeal-statistics"),
    # appeal pages (roles run in order, each through every row: the company's API filing above is still pending
    # when its page filing comes, so that one is refused as a second pending appeal)
    Case("GET", "/cycles/{cycle_id}/appeals/new", (303, 200, 403, 403), page=True,
         path=lambda w, r: f"/cycles/{w.published}/appeals/new"),
    Case("POST", "/cycles/{cycle_id}/appeals", (303, 409, 403, 403), page=True,
         path=lambda w, r: f"/cycles/{w.published}/appeals",
         body=lambda w, r: {"scope": "calculation", "grounds": "计算有误"}),
    Case("GET", "/cycles/{cycle_id}/appeals", (303, 200, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/appeals"),
    Case("GET", "/appeals/{appeal_id}", (303, 404, 404, 404), page=True, path=lambda w, r: "/appeals/999999"),
    Case("POST", "/appeals/{appeal_id}/decision", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/appeals/999999/decision", body=lambda w, r: {"outcome": "rejected", "reasons": "x"}),
    Case("POST", "/appeals/{appeal_id}/decision/preview", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/appeals/999999/decision/preview",
         body=lambda w, r: {"outcome": "rejected", "reasons": "x"}),
    Case("GET", "/appeals/{appeal_id}/attachments/{attachment_id}", (303, 404, 404, 404), page=True,
         path=lambda w, r: "/appeals/999999/attachments/1"),
    # every counted record of a company: officers, and the company itself (another company's: 404)
    Case("GET", "/api/v1/cycles/{cycle_id}/ratings/{credit_code}/records", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/ratings/{OWN}/records"),
    Case("GET", "/api/v1/cycles/{cycle_id}/ratings/{credit_code}/records", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/ratings/{OTHER}/records"),
    Case("GET", "/cycles/{cycle_id}/companies/{credit_code}/records", (303, 200, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/companies/{OWN}/records"),
    Case("GET", "/cycles/{cycle_id}/companies/{credit_code}/records", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/companies/{OTHER}/records"),
    Case("GET", "/cycles/{cycle_id}/records/{kind}/{record_id}", (303, 200, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/records/complaints/GD-000001"),
    Case("GET", "/cycles/{cycle_id}/records/{kind}/{record_id}", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/records/inspections/XC-0002"),
    Case("GET", "/admin/calendar", (303, 403, 403, 200), page=True),
    Case("POST", "/admin/calendar/{year}", (303, 403, 403, 303), page=True, path=lambda w, r: "/admin/calendar/2032",
         body=lambda w, r: {"source": "test", "holidays": "2032-01-01 元旦", "whole_year": "true"}),
    # the working-day calendar: everyone signed in reads it, administrators enter a year
    Case("GET", "/api/v1/calendar/{year}", (401, 200, 200, 200), path=lambda w, r: "/api/v1/calendar/2026"),
    Case("PUT", "/api/v1/calendar/{year}", (401, 403, 403, 200), path=lambda w, r: "/api/v1/calendar/2031",
         body=lambda w, r: {"source": "test", "holidays": [{"date": "2031-01-01", "name": "元旦"}]}),
    # companies, communities, imports, records
    Case("GET", "/api/v1/companies", (401, 200, 200, 200)),
    Case("GET", "/api/v1/companies/{credit_code}", (401, 200, 200, 200), path=lambda w, r: f"/api/v1/companies/{OWN}"),
    Case("GET", "/api/v1/companies/{credit_code}", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/companies/{OTHER}"),
    Case("GET", "/api/v1/communities", (401, 403, 200, 200)),
    Case("POST", "/api/v1/imports/{kind}", (401, 403, 200, 200), path=lambda w, r: "/api/v1/imports/complaints",
         files=True),
    Case("GET", "/api/v1/imports", (401, 403, 200, 200)),
    Case("GET", "/api/v1/records/{kind}", (401, 200, 200, 200), path=lambda w, r: "/api/v1/records/complaints"),
    Case("DELETE", "/api/v1/records/{kind}/{record_id}", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/records/inspections/DEL-{_actor(r)}?reason=test"),
    # cycles
    Case("GET", "/api/v1/cycles", (401, 200, 200, 200)),
    Case("POST", "/api/v1/cycles", (401, 403, 201, 201),
         body=lambda w, r: {"name": f"cycle-{r}", "period_start": "2025-01-01", "period_end": "2025-12-31"}),
    Case("GET", "/api/v1/cycles/{cycle_id}", (401, 200, 200, 200), path=lambda w, r: f"/api/v1/cycles/{w.published}"),
    Case("GET", "/api/v1/cycles/{cycle_id}", (401, 404, 200, 200), path=lambda w, r: f"/api/v1/cycles/{w.draft}"),
    Case("POST", "/api/v1/cycles/{cycle_id}/compute", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.drafts[_actor(r)]}/compute", body=lambda w, r: {}),
    Case("POST", "/api/v1/cycles/{cycle_id}/compute-jobs", (401, 403, 202, 202),
         path=lambda w, r: f"/api/v1/cycles/{w.job_drafts[_actor(r)]}/compute-jobs"),
    Case("GET", "/api/v1/jobs/{job_id}", (401, 403, 200, 200), path=lambda w, r: f"/api/v1/jobs/{w.job}"),
    Case("POST", "/api/v1/cycles/{cycle_id}/publicize", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.computed[_actor(r)]}/publicize", body=lambda w, r: {}),
    Case("POST", "/api/v1/cycles/{cycle_id}/finalize", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.publicized[_actor(r)]}/finalize", body=lambda w, r: {}),
    Case("GET", "/api/v1/cycles/{cycle_id}/ratings", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/ratings"),
    Case("GET", "/api/v1/cycles/{cycle_id}/ratings", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.draft}/ratings"),
    Case("GET", "/api/v1/cycles/{cycle_id}/ratings/{credit_code}", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/ratings/{OWN}"),
    Case("GET", "/api/v1/cycles/{cycle_id}/ratings/{credit_code}", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/ratings/{OTHER}"),
    Case("GET", "/api/v1/cycles/{cycle_id}/quality", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/quality"),
    # issued documents (the published cycle's bulletin and notices) and public verification
    Case("GET", "/api/v1/cycles/{cycle_id}/documents", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/documents"),
    Case("GET", "/api/v1/cycles/{cycle_id}/documents", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.draft}/documents"),
    Case("GET", "/api/v1/documents/{document_id}/pdf", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/documents/{w.documents['own']}/pdf"),
    Case("GET", "/api/v1/documents/{document_id}/pdf", (401, 200, 200, 200),
         path=lambda w, r: f"/api/v1/documents/{w.documents['bulletin']}/pdf"),
    Case("GET", "/api/v1/documents/{document_id}/pdf", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/documents/{w.documents['other']}/pdf"),
    Case("GET", "/api/v1/documents/{document_id}/pdf", (401, 404, 404, 404),
         path=lambda w, r: "/api/v1/documents/999999/pdf"),
    Case("GET", "/api/v1/cycles/{cycle_id}/documents.zip", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/cycles/{w.published}/documents.zip"),
    Case("GET", "/api/v1/verify/{code}", (200, 200, 200, 200), path=lambda w, r: f"/api/v1/verify/{w.code}"),
    Case("GET", "/api/v1/verify/{code}", (404, 404, 404, 404), path=lambda w, r: "/api/v1/verify/ZZZZ-ZZZZ-ZZZZ"),
    # pages (303 = "log in first")
    Case("GET", "/", (303, 200, 200, 200), page=True),
    Case("GET", "/login", (200, 303, 303, 303), page=True),
    Case("GET", "/admin/users", (303, 403, 403, 200), page=True),
    Case("POST", "/admin/users", (303, 403, 403, 303), page=True,
         body=lambda w, r: {"username": f"form-{r}", "password": f.PASSWORD, "role": "officer"}),
    Case("POST", "/admin/users/{username}/active", (303, 403, 403, 303), page=True,
         path=lambda w, r: "/admin/users/spare/active", body=lambda w, r: {"active": "false"}),
    Case("POST", "/admin/users/{username}/password", (303, 403, 403, 200), page=True,
         path=lambda w, r: "/admin/users/spare/password", body=lambda w, r: {}),
    Case("GET", "/account/password", (303, 200, 200, 200), page=True),
    Case("POST", "/account/password", (303, 400, 400, 400), page=True,
         body=lambda w, r: {"current_password": "not-the-password", "new_password": "amber-lantern-47",
                            "confirm_password": "amber-lantern-47"}),
    Case("GET", "/admin/audit", (303, 403, 403, 200), page=True),
    Case("GET", "/admin/audit/export", (303, 403, 403, 200), page=True),
    Case("POST", "/admin/audit/verify", (303, 403, 403, 303), page=True),
    # intake: the review queue, items (999999: none), the model, uploads; communities' pages; the admins' mapping
    # and intake systems; the push route takes only an intake system's key (every account's token: 401)
    Case("GET", "/intake", (303, 403, 200, 200), page=True),
    Case("POST", "/intake/bulk", (303, 403, 404, 404), page=True,
         body=lambda w, r: {"action": "confirm", "ids": "999999"}),
    Case("POST", "/intake/confirm-high", (303, 403, 400, 400), page=True, body=lambda w, r: {"expected": "0"}),
    Case("GET", "/intake/items/{item_id}", (303, 403, 404, 404), page=True, path=lambda w, r: "/intake/items/999999"),
    Case("POST", "/intake/items/{item_id}/confirm", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/intake/items/999999/confirm", body=lambda w, r: {}),
    Case("POST", "/intake/items/{item_id}/not-property", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/intake/items/999999/not-property", body=lambda w, r: {}),
    Case("POST", "/intake/items/{item_id}/duplicate", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/intake/items/999999/duplicate", body=lambda w, r: {"of_external_no": "X"}),
    Case("GET", "/intake/upload", (303, 403, 200, 200), page=True),
    Case("POST", "/intake/upload", (303, 403, 400, 400), page=True, body=lambda w, r: {"kind": "hotline"}),
    Case("GET", "/intake/model", (303, 403, 200, 200), page=True),
    Case("POST", "/intake/model/train", (303, 403, 400, 400), page=True, body=lambda w, r: {}),
    Case("GET", "/communities/{community_id}", (303, 403, 200, 200), page=True,
         path=lambda w, r: f"/communities/{f.COMMUNITIES[0][0]}"),
    Case("POST", "/communities/{community_id}/names", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/communities/NO-SUCH/names", body=lambda w, r: {"kind": "alias", "text": "某小区"}),
    Case("POST", "/communities/{community_id}/names/{name_id}/remove", (303, 403, 400, 400), page=True,
         path=lambda w, r: f"/communities/{f.COMMUNITIES[0][0]}/names/999999/remove", body=lambda w, r: {}),
    Case("GET", "/admin/intake/mapping", (303, 403, 403, 200), page=True),
    Case("POST", "/admin/intake/mapping", (303, 403, 403, 400), page=True,
         body=lambda w, r: {"kind": "hotline", "field.external_no": "受理时间"}),
    Case("GET", "/admin/intake/systems", (303, 403, 403, 200), page=True),
    Case("POST", "/admin/intake/systems", (303, 403, 403, 200), page=True,
         body=lambda w, r: {"name": f"page-system-{r}"}),
    Case("POST", "/admin/intake/systems/{system_id}/revoke", (303, 403, 403, 404), page=True,
         path=lambda w, r: "/admin/intake/systems/999999/revoke", body=lambda w, r: {}),
    Case("GET", "/api/v1/intake/systems", (401, 403, 403, 200)),
    Case("POST", "/api/v1/intake/systems", (401, 403, 403, 201), body=lambda w, r: {"name": f"api-system-{r}"}),
    Case("POST", "/api/v1/intake/systems/{system_id}/revoke", (401, 403, 403, 404),
         path=lambda w, r: "/api/v1/intake/systems/999999/revoke", body=lambda w, r: {}),
    Case("POST", "/api/v1/intake/tickets", (401, 401, 401, 401), body=lambda w, r: {"tickets": []}),
    Case("GET", "/imports", (303, 403, 200, 200), page=True),
    Case("POST", "/imports", (303, 403, 200, 200), page=True, files=True, body=lambda w, r: {"kind": "complaints"}),
    Case("GET", "/imports/templates/{kind}.xlsx", (303, 403, 200, 200), page=True,
         path=lambda w, r: "/imports/templates/inspections.xlsx"),
    Case("GET", "/imports/errors/{token}.xlsx", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/imports/errors/no-such-report-of-this-server.xlsx"),
    Case("GET", "/cycles", (303, 403, 200, 200), page=True),
    Case("POST", "/cycles", (303, 403, 303, 303), page=True,
         body=lambda w, r: {"name": f"form-cycle-{r}", "period_start": "2025-01-01", "period_end": "2025-12-31"}),
    Case("GET", "/cycles/{cycle_id}", (303, 403, 200, 200), page=True, path=lambda w, r: f"/cycles/{w.published}"),
    Case("POST", "/cycles/{cycle_id}/compute", (303, 403, 303, 303), page=True,
         path=lambda w, r: f"/cycles/{w.page_targets['compute'][_actor(r)]}/compute"),
    Case("POST", "/cycles/{cycle_id}/publicize", (303, 403, 303, 303), page=True,
         path=lambda w, r: f"/cycles/{w.page_targets['publicize'][_actor(r)]}/publicize"),
    Case("POST", "/cycles/{cycle_id}/finalize", (303, 403, 303, 303), page=True,
         path=lambda w, r: f"/cycles/{w.page_targets['finalize'][_actor(r)]}/finalize"),
    Case("GET", "/cycles/{cycle_id}/companies/{credit_code}", (303, 200, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/companies/{OWN}"),
    Case("GET", "/cycles/{cycle_id}/companies/{credit_code}", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/companies/{OTHER}"),
    # A draft has no ratings yet: nobody finds one (and a company does not even find the cycle).
    Case("GET", "/cycles/{cycle_id}/companies/{credit_code}", (303, 404, 404, 404), page=True,
         path=lambda w, r: f"/cycles/{w.draft}/companies/{OWN}"),
    Case("GET", "/documents/{document_id}.pdf", (303, 200, 200, 200), page=True,
         path=lambda w, r: f"/documents/{w.documents['own']}.pdf"),
    Case("GET", "/documents/{document_id}.pdf", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/documents/{w.documents['other']}.pdf"),
    Case("GET", "/cycles/{cycle_id}/documents.zip", (303, 403, 200, 200), page=True,
         path=lambda w, r: f"/cycles/{w.published}/documents.zip"),
    # verification is public: the page and the form need no login
    Case("GET", "/verify", (200, 200, 200, 200), page=True),
    Case("GET", "/verify/{code}", (200, 200, 200, 200), page=True, path=lambda w, r: f"/verify/{w.code}"),
    Case("GET", "/verify/{code}", (404, 404, 404, 404), page=True, path=lambda w, r: "/verify/ZZZZ-ZZZZ-ZZZZ"),
    # the public site and open data: the same for everyone; a draft or computed cycle does not exist there
    Case("GET", "/api/v1/public/cycles", (200, 200, 200, 200)),
    Case("GET", "/api/v1/public/cycles/{cycle}/ratings", (200, 200, 200, 200),
         path=lambda w, r: f"/api/v1/public/cycles/{w.published}/ratings"),
    Case("GET", "/api/v1/public/cycles/{cycle}/ratings", (200, 200, 200, 200),
         path=lambda w, r: "/api/v1/public/cycles/current/ratings?q=x&grade=A&sort=name&page=2"),
    Case("GET", "/api/v1/public/cycles/{cycle}/ratings", (404, 404, 404, 404),
         path=lambda w, r: f"/api/v1/public/cycles/{w.draft}/ratings"),
    Case("GET", "/api/v1/public/companies/{credit_code}", (200, 200, 200, 200),
         path=lambda w, r: f"/api/v1/public/companies/{OWN}"),
    Case("GET", "/api/v1/public/companies/{credit_code}", (404, 404, 404, 404),
         path=lambda w, r: "/api/v1/public/companies/91340000000000000X"),
    Case("GET", "/api/v1/public/methodologies", (200, 200, 200, 200)),
    Case("GET", "/api/v1/public/methodologies/{identifier}", (200, 200, 200, 200),
         path=lambda w, r: "/api/v1/public/methodologies/ZY-2025"),
    Case("GET", "/api/v1/public/methodologies/{identifier}", (404, 404, 404, 404),
         path=lambda w, r: "/api/v1/public/methodologies/nope"),
    Case("GET", "/open-data/cycles/{cycle_id}/ratings.csv", (200, 200, 200, 200),
         path=lambda w, r: f"/open-data/cycles/{w.published}/ratings.csv"),
    Case("GET", "/open-data/cycles/{cycle_id}/ratings.xlsx", (200, 200, 200, 200),
         path=lambda w, r: f"/open-data/cycles/{w.published}/ratings.xlsx"),
    Case("GET", "/open-data/cycles/{cycle_id}/ratings.xlsx", (404, 404, 404, 404),
         path=lambda w, r: f"/open-data/cycles/{w.draft}/ratings.xlsx"),
    Case("GET", "/public/cycles/{cycle_id}/bulletin.pdf", (200, 200, 200, 200), page=True,
         path=lambda w, r: f"/public/cycles/{w.published}/bulletin.pdf"),
    Case("GET", "/public/cycles/{cycle_id}/bulletin.pdf", (404, 404, 404, 404), page=True,
         path=lambda w, r: f"/public/cycles/{w.draft}/bulletin.pdf"),
    Case("GET", "/open-data/cycles/{cycle_id}/ratings.csv", (404, 404, 404, 404),
         path=lambda w, r: f"/open-data/cycles/{w.draft}/ratings.csv"),
    Case("GET", "/open-data/cycles/{cycle_id}/ratings.json", (200, 200, 200, 200),
         path=lambda w, r: f"/open-data/cycles/{w.published}/ratings.json"),
    Case("GET", "/open-data/cycles/{cycle_id}/ratings.json", (404, 404, 404, 404),
         path=lambda w, r: f"/open-data/cycles/{w.draft}/ratings.json"),
    Case("GET", "/public", (200, 200, 200, 200), page=True),
    Case("GET", "/public", (404, 404, 404, 404), page=True, path=lambda w, r: f"/public?cycle={w.draft}"),
    Case("GET", "/public/companies/{credit_code}", (200, 200, 200, 200), page=True,
         path=lambda w, r: f"/public/companies/{OWN}"),
    Case("GET", "/public/lists", (200, 200, 200, 200), page=True),
    Case("GET", "/public/lists", (404, 404, 404, 404), page=True, path=lambda w, r: f"/public/lists?cycle={w.draft}"),
    Case("GET", "/public/appeals", (200, 200, 200, 200), page=True),
    Case("GET", "/public/open-data", (200, 200, 200, 200), page=True),
    Case("GET", "/public/methodology", (200, 200, 200, 200), page=True),
    Case("GET", "/public/methodology/{identifier}", (200, 200, 200, 200), page=True,
         path=lambda w, r: "/public/methodology/ZY-2025"),
    # methodology validation, what-if and versions: officers; adopting a version: administrators
    Case("GET", "/api/v1/validation", (401, 403, 200, 200),
         path=lambda w, r: f"/api/v1/validation?cycle={w.published}&next={w.later}&bootstrap=20&draws=5"),
    Case("GET", "/api/v1/validation", (401, 403, 409, 409),
         path=lambda w, r: f"/api/v1/validation?cycle={w.draft}&next={w.published}"),
    Case("GET", "/api/v1/methodologies", (401, 403, 200, 200)),
    Case("POST", "/api/v1/methodologies/what-if", (401, 403, 200, 200),
         body=lambda w, r: {"cycle_id": w.published, "yaml": _methodology_text("ZY-2025-draft")}),
    Case("POST", "/api/v1/methodologies", (401, 403, 403, 201),
         body=lambda w, r: {"yaml": _methodology_text(f"ZY-T-{r}"), "reason": "matrix"}),
    Case("GET", "/validation", (303, 403, 200, 200), page=True,
         path=lambda w, r: f"/validation?cycle={w.published}&next={w.later}"),
    Case("GET", "/validation/report.pdf", (303, 403, 200, 200), page=True,
         path=lambda w, r: f"/validation/report.pdf?cycle={w.published}&next={w.later}"),
    Case("GET", "/methodologies", (303, 403, 200, 200), page=True),
    Case("GET", "/methodologies/what-if", (303, 403, 200, 200), page=True),
    Case("POST", "/methodologies/what-if", (303, 403, 200, 200), page=True,
         body=lambda w, r: {"cycle": str(w.published), "base": "ZY-2025", "weight_INSP": "50", "weight_COMPL": "30",
                            "weight_FEE": "20", "x_INSP": ["0", "1", "3", "6", "10"],
                            "y_INSP": ["100", "90", "70", "40", "0"],
                            "x_COMPL": ["0", "2", "5", "10", "20"], "y_COMPL": ["100", "90", "75", "50", "0"],
                            "x_FEE": ["0", "4", "10", "20"], "y_FEE": ["100", "75", "40", "0"],
                            "band_AAA": "90", "band_AA": "80", "band_A": "70", "band_B": "60", "band_C": "0"}),
    Case("POST", "/methodologies/adopt", (303, 403, 403, 303), page=True,
         body=lambda w, r: {"draft_text": _methodology_text("ZY-2025-draft"), "new_id": f"ZY-P-{r}",
                            "title": "试行", "effective_from": "2027-01-01", "reason": "matrix"}),
    # -- i19 pages
    # repair pages: a company sees its marks and files for its own (the filing below is refused: no statement); a
    # request id that is not the caller's (or none) is 404 for a company, officers act on requests and breaches
    Case("GET", "/repair", (303, 200, 303, 303), page=True),
    Case("GET", "/repair/new", (303, 200, 403, 403), page=True,
         path=lambda w, r: f"/repair/new?cycle_id={w.published}&mark=records&records=fee_violations:SF-001"),
    Case("POST", "/repair/requests", (303, 400, 403, 403), page=True,
         body=lambda w, r: {"cycle_id": str(w.published), "mark": "records", "records": "fee_violations:SF-001",
                            "statement": "", "commitment": "yes", "signature": "x"}),
    Case("GET", "/repair/requests/{request_id}", (303, 404, 404, 404), page=True,
         path=lambda w, r: "/repair/requests/999999"),
    Case("GET", "/repair/requests/{request_id}/attachments/{attachment_id}", (303, 404, 404, 404), page=True,
         path=lambda w, r: "/repair/requests/999999/attachments/1"),
    Case("GET", "/repair/requests/{request_id}/commitment.pdf", (303, 404, 404, 404), page=True,
         path=lambda w, r: "/repair/requests/999999/commitment.pdf"),
    Case("POST", "/repair/requests/{request_id}/accept", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/repair/requests/999999/accept", body=lambda w, r: {"note": ""}),
    Case("POST", "/repair/requests/{request_id}/refuse", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/repair/requests/999999/refuse", body=lambda w, r: {"reasons": "材料不全"}),
    Case("POST", "/repair/requests/{request_id}/decide", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/repair/requests/999999/decide",
         body=lambda w, r: {"reasons": "整改到位", "verification_note": "已现场核实"}),
    Case("GET", "/repair/queue", (303, 403, 200, 200), page=True),
    Case("GET", "/repair/breaches", (303, 403, 200, 200), page=True),
    Case("POST", "/repair/breaches/{breach_id}", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/repair/breaches/999999", body=lambda w, r: {"decision": "confirm", "note": "已核实"}),
    # -- i19 api
    # credit repair: a company's own marks and requests (another's: 404); officers read all and take the steps
    Case("GET", "/api/v1/repair/marks", (401, 200, 403, 403)),
    Case("POST", "/api/v1/repair/requests", (401, 400, 403, 403), form=True,
         body=lambda w, r: {"cycle_id": str(w.published), "mark": "nonsense", "statement": "已整改",
                            "signature": "x", "commitment_signed": "true"}),
    Case("GET", "/api/v1/repair/requests", (401, 200, 200, 200)),
    Case("GET", "/api/v1/repair/requests/{request_id}", (401, 404, 404, 404),
         path=lambda w, r: "/api/v1/repair/requests/999999"),
    # the other company's real request: the company gets 404 (never another's), officers read it
    Case("GET", "/api/v1/repair/requests/{request_id}", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/repair/requests/{w.repair_other}"),
    Case("GET", "/api/v1/repair/requests/{request_id}/commitment", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/repair/requests/{w.repair_other}/commitment"),
    Case("GET", "/api/v1/repair/requests/{request_id}/attachments/{attachment_id}", (401, 404, 200, 200),
         path=lambda w, r: f"/api/v1/repair/requests/{w.repair_other}/attachments/{w.repair_other_file}"),
    Case("GET", "/repair/requests/{request_id}", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/repair/requests/{w.repair_other}"),
    Case("GET", "/repair/requests/{request_id}/commitment.pdf", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/repair/requests/{w.repair_other}/commitment.pdf"),
    Case("GET", "/repair/requests/{request_id}/attachments/{attachment_id}", (303, 404, 200, 200), page=True,
         path=lambda w, r: f"/repair/requests/{w.repair_other}/attachments/{w.repair_other_file}"),
    Case("GET", "/api/v1/repair/requests/{request_id}/commitment", (401, 404, 404, 404),
         path=lambda w, r: "/api/v1/repair/requests/999999/commitment"),
    Case("GET", "/api/v1/repair/requests/{request_id}/attachments/{attachment_id}", (401, 404, 404, 404),
         path=lambda w, r: "/api/v1/repair/requests/999999/attachments/1"),
    Case("POST", "/api/v1/repair/requests/{request_id}/accept", (401, 403, 404, 404),
         path=lambda w, r: "/api/v1/repair/requests/999999/accept", body=lambda w, r: {"note": "材料齐全"}),
    Case("POST", "/api/v1/repair/requests/{request_id}/refuse", (401, 403, 404, 404),
         path=lambda w, r: "/api/v1/repair/requests/999999/refuse", body=lambda w, r: {"reasons": "材料不足"}),
    Case("POST", "/api/v1/repair/requests/{request_id}/decide", (401, 403, 404, 404),
         path=lambda w, r: "/api/v1/repair/requests/999999/decide",
         body=lambda w, r: {"reasons": "符合条件", "verification_note": "已核查"}),
    Case("GET", "/api/v1/repair/breaches", (401, 403, 200, 200)),
    Case("POST", "/api/v1/repair/breaches/detect", (401, 403, 200, 200), body=lambda w, r: {}),
    Case("POST", "/api/v1/repair/breaches/{breach_id}", (401, 403, 404, 404),
         path=lambda w, r: "/api/v1/repair/breaches/999999", body=lambda w, r: {"action": "dismiss", "note": "不构成"}),
    # -- i19 monitor
    # the running rating: officers see every company; a company only its own position; nothing anonymous
    Case("GET", "/api/v1/monitor", (401, 403, 200, 200)),
    Case("GET", "/api/v1/monitor/mine", (401, 200, 403, 403)),
    Case("GET", "/monitor", (303, 403, 200, 200), page=True),
    Case("POST", "/monitor/summaries", (303, 403, 303, 303), page=True, body=lambda w, r: {}),
    Case("GET", "/monitor/summaries", (303, 403, 200, 200), page=True),
    Case("GET", "/monitor/summaries/{week}", (303, 403, 404, 404), page=True,
         path=lambda w, r: "/monitor/summaries/2020-01-06"),
    Case("GET", "/monitor/mine", (303, 200, 403, 403), page=True),
]


def _methodology_text(identifier: str) -> str:
    """The shipped ZY-2026 file under another id, in force from 2027 (a valid draft to try or adopt)."""
    text = (PROJECT_ROOT / "scoring" / "methodologies" / "ZY-2026.yaml").read_text(encoding="utf-8")
    return text.replace("id: ZY-2026", f"id: {identifier}", 1).replace("effective_from: 2026-01-01",
                                                                      "effective_from: 2027-01-01", 1)
# Routes whose answers depend on who logs in or out, covered by their own tests (tests/rating_service/accounts).
COVERED_ELSEWHERE = {("POST", "/api/v1/auth/token"), ("DELETE", "/api/v1/auth/token"), ("POST", "/login"),
                     ("POST", "/logout")}


# Cycles to finalize were computed and publicized on this day, long enough ago that their appeal window has closed.
CLOSED_WINDOW_NOTICE = dt.date(2026, 11, 2)


def _new_cycle(database: Any, name: str, to: str, notice_date: dt.date | None = None,
               period: tuple[dt.date, dt.date] = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))) -> int:
    """A cycle of ``period`` moved on to ``to``; with a notice date, computed and publicized on that day (else
    today)."""
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="setup", draft=cycles.CycleDraft(
            name, *period)).id
    with f.on_day(notice_date or f.TODAY):
        if to in ("computed", "publicized"):
            cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="setup")
        if to == "publicized":
            with database.write_session() as session:
                cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="setup", notice_date=notice_date)
    return cycle_id


def _world(database: Any) -> World:
    f.load(database, *f.REFERENCE, "complaints", "fee_violations")
    inspections = [list(r) for r in f.INSPECTIONS] + [
        [f"DEL-{a}", "2025-06-01", "ZY-C003", None, "城管", "乱堆乱放", "一般", None, None, None] for a in ACTORS]
    with database.write_session() as session:
        from rating_service.records.formats import KINDS
        from rating_service.records.service import import_files

        import_files(session, kind=KINDS["inspections"], actor="setup", today=f.TODAY,
                     files=[f.upload("inspections", inspections)])
    world = World(published=_new_cycle(database, "公示中", "publicized"), draft=_new_cycle(database, "草稿", "draft"))
    for actor in ACTORS:
        world.computed[actor] = _new_cycle(database, f"pub-{actor}", "computed")
        world.publicized[actor] = _new_cycle(database, f"fin-{actor}", "publicized", CLOSED_WINDOW_NOTICE)
        world.drafts[actor] = _new_cycle(database, f"cmp-{actor}", "draft")
        world.job_drafts[actor] = _new_cycle(database, f"job-{actor}", "draft")
    world.page_targets = {
        "compute": {a: _new_cycle(database, f"page-cmp-{a}", "draft") for a in ACTORS},
        "publicize": {a: _new_cycle(database, f"page-pub-{a}", "computed") for a in ACTORS},
        "finalize": {a: _new_cycle(database, f"page-fin-{a}", "publicized", CLOSED_WINDOW_NOTICE) for a in ACTORS},
    }
    with database.read_session() as session:
        issued, _ = documents_repo.list_documents(session, cycle_id=world.published)
    by_code = {d.credit_code: d for d in issued}
    world.documents = {"bulletin": by_code[None].id, "own": by_code[OWN].id, "other": by_code[OTHER].id}
    world.code = by_code[OWN].verification_code
    world.later = _new_cycle(database, "later", "computed", period=(dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
    job_cycle = _new_cycle(database, "job-seen", "draft")
    with database.write_session() as session:
        world.job = cycles.start_job(session=session, kind="compute", cycle_id=job_cycle, actor="setup").id
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=OWN)
    f.make_user(database, "spare", "officer")
    world.repair_other, world.repair_other_file = _other_companys_repair_request(database, world.published)
    return world


def _other_companys_repair_request(database: Any, cycle_id: int) -> tuple[int, int]:
    """The other company (江南, CODE_B) asks for the repair of its fee violation SF-002 (general: three months of
    publicity from 2025-09-01 have passed), with one PDF of evidence."""
    from rating_service.accounts.service import Principal
    from rating_service.appeals.service import Upload
    from rating_service.repair import service as repair

    other = Principal(9001, "other-company", "江南", "company", OTHER)
    officer = Principal(9002, "setup", "科员", "officer", None)
    with database.write_session() as session:
        request = repair.file_request(session, principal=other, filing=repair.Filing(
            cycle_id=cycle_id, mark="records", records=[("fee_violations", "SF-002")],
            statement="已在小区公示栏公示收费项目和标准。", declared=["rectified", "penalty_fulfilled"],
            commitment_signed=True, signature="枞阳县江南物业管理有限公司",
            attachments=[Upload("公示照片.pdf", f.pdf_file())]))
        request_id = request.id
    with database.read_session() as session:
        (attachment, *_rest) = repair.request_detail(session, officer, request_id).attachments
    return request_id, attachment.id


def _clients(database: Any) -> Iterator[tuple[str, Any, Any]]:
    # One app for every role, as one server process serves them all: its public-data cache and OpenAPI document
    # are built once, not once per client.
    from rating_service.web.app import create_app

    app = create_app(database)
    for role in ROLES:
        username = None if role == "anonymous" else role
        yield role, f.api_client(database, username, app=app), f.page_client(database, username, app=app)


def _wait_for_jobs(database: Any) -> None:
    from sqlalchemy import select

    from rating_service.cycles.models import Job

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with database.read_session() as session:
            running = session.scalars(select(Job.id).where(Job.status == "running", Job.actor != "setup")).all()
        if not running:
            return
        time.sleep(0.1)


@pytest.mark.slow
def test_each_role_gets_exactly_its_allowed_answer_on_every_route(database):
    world = _world(database)
    failures = []
    try:
        for role, api, page in _clients(database):
            for case in CASES:
                client = page if case.page else api
                kwargs: dict[str, Any] = {}
                body = case.body(world, role) if case.body else None
                if case.page and case.method == "POST":
                    kwargs["data"] = {**(body or {}), "csrf_token": f.csrf_of(page) if role != "anonymous" else ""}
                elif body is not None and case.form:
                    kwargs["data"] = body
                elif body is not None:
                    kwargs["json"] = body
                if case.files:
                    kwargs["files"] = _complaint_upload()
                    if not case.page:
                        kwargs.pop("json", None)
                response = client.request(case.method, case.url(world, role), **kwargs)
                expected = case.expect[ROLES.index(role)]
                if response.status_code != expected:
                    failures.append(f"{role:9} {case.method:6} {case.url(world, role)}: {response.status_code} "
                                    f"(expected {expected}) {response.text[:120]}")
    finally:
        _wait_for_jobs(database)
    assert not failures, "\n".join(failures)


def _declared_routes() -> set[tuple[str, str]]:
    def walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):  # an included router
                yield from walk(route.original_router.routes)
            elif getattr(route, "methods", None):
                for method in route.methods - {"HEAD"}:
                    yield method, route.path

    return set(walk(create_app().routes))


def test_every_route_is_in_the_matrix():
    covered = {(c.method, c.route) for c in CASES} | COVERED_ELSEWHERE
    assert _declared_routes() - covered == set(), "routes without a row in the role × route matrix"
    assert covered - _declared_routes() == set(), "matrix rows for routes that no longer exist"


def test_a_company_sees_only_its_own_records_companies_and_ratings(database):
    world = _world(database)
    api = f.api_client(database, "company")
    companies = api.get("/api/v1/companies").json()
    assert [c["credit_code"] for c in companies["items"]] == [OWN] and companies["total"] == 1
    for kind in ("inspections", "complaints", "fee_violations"):
        mine = api.get(f"/api/v1/records/{kind}").json()
        officer_view = f.api_client(database, "officer").get(f"/api/v1/records/{kind}?limit=1000").json()
        assert mine["total"] < officer_view["total"]
        # Asking for another company's records gives nothing, not an error that confirms they exist.
        assert api.get(f"/api/v1/records/{kind}?company={OTHER}").json()["items"] == []
    # Records that name no company count for 皖江 only inside its contract periods: GD-000001 (山水兰亭) is
    # its own; GD-000002 (尚泽江南府, March 2025) still belonged to 江南物业.
    complaints = {r["record_id"] for r in api.get("/api/v1/records/complaints").json()["items"]}
    assert complaints == {"GD-000001", "GD-000003"}
    ratings = api.get(f"/api/v1/cycles/{world.published}/ratings").json()
    assert [r["credit_code"] for r in ratings["items"]] == [OWN] and ratings["total"] == 1
    assert "grades" not in api.get(f"/api/v1/cycles/{world.published}").json()
    visible = {c["id"] for c in api.get("/api/v1/cycles").json()}
    assert world.published in visible and world.draft not in visible
    assert all(c["status"] in ("publicized", "finalized") for c in api.get("/api/v1/cycles").json())


@pytest.mark.parametrize("kind", ["companies", "communities", "contracts", "nonsense"])
def test_records_endpoint_refuses_non_event_kinds(database, kind):
    f.make_user(database, "officer", "officer")
    response = f.api_client(database, "officer").get(f"/api/v1/records/{kind}")
    assert response.status_code in (400, 404) and response.json()["code"] in ("error", "not_found")
