"""Body limits hold for what is read, however the body is sent (ASVS 12.1.1, 13.1.x; issue 11 finding 13).

Every POST endpoint gets a chunked body (no ``Content-Length``, as the dev server and gunicorn pass it on:
``wsgi.input_terminated``) just past its limit — ``MAX_CONTENT_LENGTH``, or the smaller one a view declares
with ``praclox.security.body_limit`` — as a form and as JSON. An endpoint that reads it must stop at the limit
and answer 413 having changed nothing; it must never act on the part it read. And a body refused for its size
when its length is announced must be refused as well when it is chunked.

The old sweeps sent every body through the test client with a ``Content-Length``, so the 8 KB check on that
header looked sufficient; werkzeug also ends a read quietly at the limit, so a chunked body was processed as
its first 12 MB (or, for the API, accepted at 11 MB).
"""

from __future__ import annotations

import io

from security_walk import ALL_ROLES, SESSION_TOUCH, rules, seed_records, snapshot, url_for_rule

BLOCK = b" " * 65536
HEADS = {
    "application/x-www-form-urlencoded": b"name=Chunk+Sweep&email=chunk.sweep%40example.nl&filler=",
    "application/json": b'{"name": "Chunk Sweep", "email": "chunk.sweep@example.nl"}',
}
SKIP = {"auth.logout"}  # ends the sweeping session; it reads no body
#: what a refused request may still change: the session's last-seen time, the API key's last use and the API's
#: rate-limit count (every request counts, whatever its body)
UNCHANGED_BUT = {**SESSION_TOUCH, "api_keys": {"last_used_at"}, "api_requests": {"*"}}


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes (``head``, then spaces), made as it is read; counts what was read."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head, self.size, self.taken = head, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.taken)
        if n <= 0:
            return 0
        view = memoryview(buffer)
        done = 0
        while done < n:
            if self.taken + done < len(self.head):
                piece = self.head[self.taken + done:self.taken + min(n, len(self.head))]
            else:
                piece = BLOCK[: min(n - done, len(BLOCK))]
            view[done:done + len(piece)] = piece
            done += len(piece)
        self.taken += n
        return n


def post_chunked(client, url, content_type, body: CountingBody, **headers):
    # werkzeug reads no Content-Length when Transfer-Encoding is chunked; the servers pass the stream as is
    return client.post(url, content_type=content_type, headers={"Transfer-Encoding": "chunked", **headers},
                       environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True})


def limit_of(app, endpoint: str) -> int:
    return getattr(app.view_functions[endpoint], "body_limit", app.config["MAX_CONTENT_LENGTH"])


def test_a_chunked_body_past_the_limit_is_refused_by_every_post_endpoint_without_acting(
        app, login_as, make_office, api_key):
    seed_records(app)
    client = login_as(*ALL_ROLES)
    auth = {"Authorization": f"Bearer {api_key}"}
    problems, read_somewhere = [], set()
    for rule, _method in rules(app, ("POST",)):
        if rule.endpoint in SKIP:
            continue
        url, limit = url_for_rule(rule), limit_of(app, rule.endpoint)
        for content_type, head in HEADS.items():
            body = CountingBody(head, limit + 65536)
            before = snapshot(app, UNCHANGED_BUT)
            response = post_chunked(client, url, content_type, body, **auth)
            status = response.status_code
            response.close()
            if status >= 500 or body.taken > limit + 1:
                problems.append((rule.rule, content_type, status, body.taken))
            elif body.taken and (status != 413 or snapshot(app, UNCHANGED_BUT) != before):
                problems.append((rule.rule, content_type, status, "acted on a cut-off body"))
            if body.taken:
                read_somewhere.add(rule.endpoint)
    assert not problems, problems
    # the sweep reached the endpoints that read bodies: the forms and the API
    assert {"registrations_api.create_registration", "offices.create", "auth.password"} <= read_somewhere


def test_a_size_refused_with_content_length_is_not_accepted_when_chunked(app, login_as, make_office, api_key):
    """Catches a limit written as a check of the ``Content-Length`` header, whatever its size: what is refused
    for its announced size is not accepted when it comes chunked."""
    seed_records(app)
    client = login_as(*ALL_ROLES)
    auth = {"Authorization": f"Bearer {api_key}"}
    mismatches = []
    for rule, _method in rules(app, ("POST",)):
        if rule.endpoint in SKIP:
            continue
        url = url_for_rule(rule)
        for content_type, head in HEADS.items():
            size = 16 * 1024
            announced = client.post(url, data=head + b" " * (size - len(head)), content_type=content_type,
                                    headers=auth)
            chunked = post_chunked(client, url, content_type, CountingBody(head, size), **auth)
            if announced.status_code == 413 and chunked.status_code < 400:
                mismatches.append((rule.rule, content_type, announced.status_code, chunked.status_code))
            announced.close()
            chunked.close()
    assert not mismatches, mismatches


def test_the_api_declares_its_8_kb_limit_and_reads_no_more(app, api_key):
    body = CountingBody(HEADS["application/json"], 11 * 1024 * 1024)
    response = post_chunked(app.test_client(), "/api/registrations", "application/json", body,
                            Authorization=f"Bearer {api_key}")
    assert response.status_code == 413 and response.json["error"] == "too_large"
    assert body.taken <= 8 * 1024 + 1
    with app.app_context():
        from praclox.extensions import db
        from praclox.registrations.models import Registration

        assert db.session.query(Registration).count() == 0
