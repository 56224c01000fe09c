"""Schemathesis against the schema Engage serves: every operation, through every phase (examples,
coverage, fuzzing, stateful) and every check, with a read and write token; no failures.

Run through schemathesis's engine, as its command line runs (its pytest plugin does not work with
pytest 9). The engine calls the WSGI application from its own thread, which has its own database
connection, so this test commits its data (`transactional_db`) for that thread to see it.
Bounded and deterministic: a fixed seed, 20 examples an operation, no example database.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from engage.config.wsgi import application

# Schemathesis's default for valid requests, plus 400.
ACCEPTED_OR_REFUSED_BY_RULE = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def _config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 20261124,
            "generation": {"max-examples": 20, "deterministic": True, "database": "none"},
            "auth": {"openapi": {"bearerToken": {"bearer": token}}},
            # Its probe without the token crashes schemathesis 4.32's WSGI transport (it passes
            # `max_redirects` on to Werkzeug); test_every_operation_refuses_a_call_without_a_token
            # below checks the same thing for every operation of the schema.
            "checks": {"ignored_auth": {"enabled": False}},
            "operations": [
                {
                    # Requests of the right shape that rules beyond a schema refuse, with a 400
                    # naming the parameter (each is tested in test_contract and test_resources):
                    # a cursor that no page gave, an identifier that is no kind of identifier, an
                    # event in the future. Items by id or reference stay strict.
                    "include-path-regex": r"^/api/v1/(contact-check|contact-events|customers|incidents|decisions|reviews|appeals|letters)$",
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": ACCEPTED_OR_REFUSED_BY_RULE}
                    },
                }
            ],
        }
    )


def _report(failed: list[events.ScenarioFinished]) -> str:
    lines = []
    for scenario in failed:
        for checks in scenario.recorder.checks.values():
            for check in checks:
                if check.status == Status.FAILURE and check.failure_info is not None:
                    failure = check.failure_info.failure
                    lines.append(f"{scenario.label} ({scenario.phase}): {check.name}: {failure.title}")
                    lines.append(f"    {failure.message}".replace("\n", "\n    "))
                    lines.append(f"    {check.failure_info.code_sample}")
    return "\n".join(lines)


# Sequences start again at 1, so the run sees the same ids (and so makes the same requests)
# whichever tests ran before it.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_api_keeps_to_its_schema(flintshire_records, crm):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=_config(crm.token))
    failed: list[events.ScenarioFinished] = []
    tested: set[str] = set()
    errors: list[str] = []
    finished = None
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            if event.status == Status.FAILURE:
                failed.append(event)
            if event.label and event.recorder.interactions:
                tested.add(event.label)
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            errors.append(repr(event.exception))
        elif isinstance(event, events.EngineFinished):
            finished = event
    assert finished is not None
    assert not errors, "\n".join(errors)
    assert not failed, _report(failed)
    assert finished.stop_reason == "completed"
    # Every operation of the schema was called (so this test cannot pass by testing nothing).
    assert tested == {f"{o.ok().method.upper()} {o.ok().path}" for o in schema.get_all_operations()}


def _operations(client):
    spec = client.get("/api/v1/schema/").json()
    for path, item in spec["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                yield method, path.replace("{reference}", "C-000001").replace("{id}", "1"), item[method]


def test_every_operation_declares_the_bearer_token_and_401(client):
    operations = list(_operations(client))
    assert len(operations) == 15
    for method, path, operation in operations:
        assert operation["security"] == [{"bearerToken": []}], (method, path)
        assert "401" in operation["responses"], (method, path)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer eng_" + "A" * 43, "Basic cmhvZHJpOnNlY3JldA=="],
    ids=["no token", "unknown token", "not a bearer token"],
)
def test_every_operation_refuses_a_call_without_a_valid_token(client, flintshire_records, crm, header):
    headers = {"Authorization": header} if header else {}
    for method, path, _operation in _operations(client):
        response = getattr(client, method)(path, headers=headers, content_type="application/json")
        assert response.status_code == 401, (method, path)
        assert response["WWW-Authenticate"] == 'Bearer realm="Engage API"', (method, path)
        assert response.json().keys() == {"detail"}
        # ...while the same call with the token is let in.
        allowed = getattr(client, method)(path, headers=crm.auth, content_type="application/json")
        assert allowed.status_code != 401, (method, path)


def test_the_schema_is_openapi_3_1_in_json_and_yaml_for_anyone(client):
    as_json = client.get("/api/v1/schema/")
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/json")
    assert as_json.json()["openapi"] == "3.1.0"
    as_yaml = client.get("/api/v1/schema/?format=yaml")
    assert as_yaml.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/yaml")
    assert as_yaml.content.startswith(b"openapi: 3.1.0")
