"""The read-only API at `/api/v1/` (django-ninja; docs/decisions/0029-read-only-api.md): its
operations, the token every one of them needs, the allowance of requests per token, and the
JSON of every refusal. The schema is at `/api/v1/openapi.json` and its documentation at
`/api/v1/docs`, a page in Waymark's layout drawn from that schema (reference.py), both open to
anyone (they describe, and hold no data).

Everything here reads; nothing writes but the token's time of last use. Each list answers in
a fixed number of queries whatever its page size and however much there is (tests pin them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled

from . import consultations, delivery, governance, strategies
from .auth import TokenAuth, TokenThrottle
from .reference import ReferencePage

DESCRIPTION = """Read what you read in Waymark, from a reporting tool such as Power BI or Excel.

**Token.** Create a token on your *API tokens* page in Waymark (`/account/api-tokens/`) and
send it with every request as `Authorization: Bearer wmk_…`. A token reads exactly what you
read in Waymark, no more; revoke it there when it is no longer needed. Without a valid token
every address answers 401.

**Pages.** Every list comes a page at a time: `limit` rows (at most 100) from `offset`, with
the `count` of all rows and the address of the `next` page (null on the last).

**Limits.** Each token may make a set number of requests a minute; past it the answer is 429,
with `Retry-After` saying how many seconds to wait.
"""


class WaymarkAPI(NinjaAPI):
    def create_response(self, request: HttpRequest, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # Every answer is one person's: no shared cache may keep it (config.middleware keeps
        # the pages' answers private by their session; the API has none).
        response["Cache-Control"] = "private, no-store"
        return response


api = WaymarkAPI(
    title="Waymark",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=ReferencePage(),
    auth=TokenAuth(),
    throttle=TokenThrottle(),
)
api.add_router("", strategies.router)
api.add_router("", governance.router)
api.add_router("", consultations.router)
api.add_router("", delivery.router)


@api.exception_handler(AuthenticationError)
def refused(request: HttpRequest, problem: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": problem.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="Waymark API"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, problem: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(problem) or "Forbidden."}, status=403)


@api.exception_handler(Throttled)
def too_many(request: HttpRequest, problem: Throttled) -> HttpResponse:
    message = "Too many requests with this token: wait as Retry-After says, then go on."
    return api.create_response(request, {"detail": message}, status=429)
