"""The supply-chain checks of `.ci/run`: bandit's accepted findings each carry a reason, and
`scripts/audit-dependencies` fails on a vulnerability but only reports an unreachable advisory service."""

from __future__ import annotations

import json
import re
import sys
import types
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOSEC = re.compile(r"#\s*nosec\b(.*)$")
WITH_REASON = re.compile(r"^\s+B\d{3}(,\s*B\d{3})*\s+#\s*\S.{9,}")  # "# nosec B603  # why"


def _script() -> types.ModuleType:
    loader = SourceFileLoader("audit_dependencies", str(REPO / "scripts" / "audit-dependencies"))
    spec = spec_from_loader("audit_dependencies", loader)
    assert spec is not None
    module = module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


AUDIT = _script()


def test_every_nosec_names_its_test_and_why() -> None:
    bare = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "bansou").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if (found := NOSEC.search(line)) and not WITH_REASON.match(found.group(1))
    ]
    assert bare == []


def _report(*dependencies: dict[str, object]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


VULN = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["5.2.99"], "description": ""}


@pytest.mark.parametrize(
    ("returncode", "report", "stderr", "accepted", "failed"),
    [
        (0, _report({"name": "django", "version": "5.2", "vulns": []}), "", {}, False),
        (1, _report({"name": "django", "version": "5.2", "vulns": [VULN]}), "", {}, True),
        (1, _report({"name": "django", "version": "5.2", "vulns": [VULN]}), "", {"CVE-2099-1": "why"}, False),
        (0, _report({"name": "django", "skip_reason": "Dependency not found on PyPI"}), "", {}, False),
        (1, "", "requests.exceptions.ConnectionError: HTTPSConnectionPool(...)", {}, False),
        (1, "", "Failed to resolve 'api.osv.dev' ([Errno -2] NameResolutionError)", {}, False),
        (1, "", "pip_audit: error: invalid requirements file", {}, True),
    ],
    ids=["clean", "vulnerable", "accepted", "unknown-to-service", "offline", "no-dns", "broken-lock"],
)
def test_audit_fails_on_vulnerabilities_not_on_the_network(
    returncode: int, report: str, stderr: str, accepted: dict[str, str], failed: bool
) -> None:
    outcome = AUDIT.judge("requirements/base.txt", returncode, report, stderr, accepted)
    assert outcome.failed is failed
    assert outcome.lines


def test_an_accepted_advisory_needs_a_reason() -> None:
    assert AUDIT.accepted("# comment\nGHSA-1  no fix yet; the code path is not used\n") == {
        "GHSA-1": "no fix yet; the code path is not used"
    }
    with pytest.raises(ValueError, match="no reason"):
        AUDIT.accepted("GHSA-1\n")
