"""Benchmark of the reports: the personal result PDF, 100 PDFs in one batch, the xlsx export of 10,000
checks, and the import of a 200-participant 研修 entry workbook — each beside the nearest limit
measured in the same run.

Run by hand from the repository root, never by the test suite:  .venv/bin/python bench/reports.py [--quick]
(see "Reports" in bench/README.md). In one process, with Django's test client and the app's own
functions, on a database it makes for itself: a SQLite file in a temporary directory by default, or
with ``--database postgresql`` (the default when DATABASE_URL names a PostgreSQL server) a fresh
database ``bansou_bench_reports`` on that server, dropped at the end. It never opens var/ or the
database DATABASE_URL names.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import gc
import io
import json
import math
import os
import random
import resource
import secrets
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.check_page import (  # noqa: E402
    RESULTS_DIR,
    SCRUBBED_ENV,
    app_env,
    fmt,
    log,
    machine_info,
    postgres_database,
    ratio,
)
from bench.team_seed import KANA, chunks, standing_rows  # noqa: E402

# What the PDF floor renders: one Japanese paragraph with the app's stylesheets, so that the font
# subset is embedded as in every report, and nothing else.
FLOOR_HTML = "<html lang=ja><body class=pdf><p>伴走支援</p></body></html>"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sizes:
    pdf_runs: int  # measured requests of the personal PDF (and of each of its limits)
    pdf_warmup: int
    batch: int  # PDFs in the batch, one per person
    checks: int  # checks in the database, all exported
    export_runs: int
    participants: int  # of the 研修 whose entry workbook is imported
    import_runs: int


FULL = Sizes(
    pdf_runs=30, pdf_warmup=3, batch=100, checks=10000, export_runs=3, participants=200, import_runs=5
)
QUICK = Sizes(
    pdf_runs=10, pdf_warmup=2, batch=20, checks=1000, export_runs=2, participants=200, import_runs=3
)


# --- timing --------------------------------------------------------------------------------------


def interleaved(
    steps: dict[str, Callable[[], Any]],
    runs: int,
    warmup: int = 0,
    after: dict[str, Callable[[], None]] | None = None,
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Each step in turn, round after round: ``warmup`` unmeasured rounds, then ``runs`` measured ones.
    A step's ``after`` (untimed) undoes what it wrote. Returns the seconds of each step and what each
    returned last. Interleaving puts a figure and its limit under the same load: a drift in what else
    the machine is doing moves both, not just one of them."""
    after = after or {}
    times: dict[str, list[float]] = {name: [] for name in steps}
    last: dict[str, Any] = {}
    for round_ in range(warmup + runs):
        for name, step in steps.items():
            t0 = time.perf_counter()
            last[name] = step()
            elapsed = time.perf_counter() - t0
            if round_ >= warmup:
                times[name].append(elapsed)
            if name in after:
                after[name]()
    return times, last


def stats(seconds: Sequence[float]) -> dict[str, Any]:
    """Median, p90 (nearest rank), min and max in ms, and the raw times."""
    ordered = sorted(seconds)
    rank = min(max(1, math.ceil(0.9 * len(ordered))), len(ordered))
    return {
        "n": len(ordered),
        "median_ms": 1000 * statistics.median(ordered),
        "p90_ms": 1000 * ordered[rank - 1],
        "min_ms": 1000 * ordered[0],
        "max_ms": 1000 * ordered[-1],
        "times_ms": [round(1000 * s, 3) for s in seconds],
    }


def rss_mb() -> float:
    """Resident memory of this process now (Linux: VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """The most resident memory this process has had so far (Linux: ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the database and Django ----------------------------------------------------------------------


def set_up_django(database_url: str, tmp: Path) -> None:
    """The app's settings (bench.settings) on the given database, var/ in the temporary directory."""
    for key in SCRUBBED_ENV:
        os.environ.pop(key, None)
    os.environ.update(app_env(database_url, tmp / "var", secret_key=secrets.token_urlsafe(50)))
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host; no test environment is set up
    import django
    from django.core.management import call_command

    django.setup()
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_frameworks", stdout=quiet)
    # Static files as in production (the hashed manifest), like the other benchmarks' gunicorn runs.
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)


@dataclass
class Seeded:
    owner: Any  # the personal PDF's person (two checks a year apart)
    check: Any  # their latest check
    batch: list[tuple[Any, Any]]  # (user, check): one check each
    checks: int
    answers: int
    seconds: float


def seed(total: int, batch: int, rng: random.Random) -> Seeded:
    """The personal and batch checks through the app's services (as a person makes them), then the
    rest of ``total`` with bulk_create (as bench/cohort_seed.py), five checks a person."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from bansou.accounts.models import User
    from bansou.checks.access import Holder
    from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
    from bansou.checks.services import get_or_start_draft, label_standing_rows, save_cells, submit_draft
    from bansou.domain.drafts import Edit
    from bansou.domain.fiscal_year import fiscal_year_of
    from bansou.domain.framework import Axis
    from bansou.domain.scoring import Answer, score
    from bansou.frameworks.models import Item
    from bansou.frameworks.queries import current_version, framework_of

    started = time.perf_counter()
    version = current_version()
    framework = framework_of(version)
    scale = framework.scale
    positive = [v for v in scale.values() if scale.is_positive(v)]
    negative = [v for v in scale.values() if not scale.is_positive(v)]
    items = list(framework.items())
    item_ids = dict(Item.objects.filter(framework=version).values_list("code", "pk"))
    now = timezone.now()
    unusable = make_password(None)  # nobody logs in with a password: the client uses force_login

    def value(level: float) -> int:
        return rng.choice(positive if rng.random() < level else negative)

    def submitted(user: Any, when: datetime.datetime) -> Any:
        holder = Holder(user_id=user.pk)
        level = rng.uniform(0.2, 0.9)
        draft = get_or_start_draft(holder=holder, version=version)
        edits = [
            Edit(item.code, axis, value(min(0.98, level + 0.15) if axis is Axis.UNDERSTANDING else level), 0)
            for item in items
            for axis in Axis
        ]
        save_cells(draft=draft, edits=edits, now=when)
        return submit_draft(draft=draft, holder=holder, now=when)

    def person(username: str, name: str) -> Any:
        furigana = f"{rng.choice(KANA)} {rng.choice(KANA)}"
        return User.objects.create(username=username, display_name=name, furigana=furigana, password=unusable)

    with transaction.atomic():
        owner = person("report-owner", "伴走 花子")
        submitted(owner, now - datetime.timedelta(days=390))
        check = submitted(owner, now - datetime.timedelta(days=20))
        batch_people = []
        for i in range(batch):
            user = person(f"report-batch{i:03d}", f"一括 {i:03d}")
            batch_people.append((user, submitted(user, now - datetime.timedelta(days=rng.uniform(1, 300)))))

    rest = max(0, total - 2 - batch)
    people = User.objects.bulk_create(
        (
            User(
                username=f"report-export{i:05d}",
                display_name=f"支援者 {i:05d}",
                furigana=f"{rng.choice(KANA)} {rng.choice(KANA)}",
                password=unusable,
            )
            for i in range(math.ceil(rest / 5))
        ),
        batch_size=1000,
    )
    plans = [
        (people[i // 5], now - datetime.timedelta(days=rng.uniform(1, 730)), rng.uniform(0.2, 0.9))
        for i in range(rest)
    ]
    with transaction.atomic():
        for part in chunks(plans, 500):
            made = Check.objects.bulk_create(
                Check(
                    owner=user,
                    framework=version,
                    submitted_at=when,
                    fiscal_year=fiscal_year_of(timezone.localdate(when)),
                    draft_public_id=uuid.uuid4(),
                )
                for user, when, _level in part
            )
            answer_rows: list[Any] = []
            standings: list[Any] = []
            labels: list[Any] = []
            for made_check, (_user, _when, level) in zip(made, part, strict=True):
                answers = {item.code: Answer(value(min(0.98, level + 0.15)), value(level)) for item in items}
                answer_rows += [
                    CheckAnswer(
                        check_record_id=made_check.pk,
                        item_id=item_ids[code],
                        understanding=answer.understanding,
                        practice=answer.practice,
                    )
                    for code, answer in answers.items()
                ]
                result = score(framework, answers)
                standings += standing_rows(made_check, result)
                labels += label_standing_rows(made_check, framework, result)
            CheckAnswer.objects.bulk_create(answer_rows, batch_size=2000)
            CheckStanding.objects.bulk_create(standings, batch_size=2000)
            CheckLabelStanding.objects.bulk_create(labels, batch_size=2000)
    return Seeded(
        owner=owner,
        check=check,
        batch=batch_people,
        checks=Check.objects.count(),
        answers=CheckAnswer.objects.count(),
        seconds=round(time.perf_counter() - started, 1),
    )


# --- 1 and 2: PDFs --------------------------------------------------------------------------------


def client_for(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get_ok(client: Any, path: str, content_type: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200 or not response["Content-Type"].startswith(content_type):
        raise RuntimeError(f"GET {path}: HTTP {response.status_code} {response['Content-Type']}")
    body = bytes(response.content)
    if content_type == "application/pdf" and not body.startswith(b"%PDF-"):
        raise RuntimeError(f"GET {path}: not a PDF")
    return body


def bench_personal_pdf(data: Seeded, sizes: Sizes) -> dict[str, Any]:
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import reverse
    from django.utils import timezone

    from bansou.checks.presenters import result_context
    from bansou.reports import pdf as p

    client = client_for(data.owner)
    pdf_path = reverse("checks:result_pdf", args=[data.check.public_id])
    html_path = reverse("checks:result", args=[data.check.public_id])
    request = RequestFactory().get(pdf_path)
    request.user = data.owner
    context = result_context(data.check) | {"can_download": True, "can_plan": True}
    context |= {"base_template": p.PDF_BASE, "pdf": True, "printed_at": timezone.localtime()}
    kept: dict[str, Any] = {}

    def floor() -> bytes:
        document = p._engine().HTML(string=FLOOR_HTML, url_fetcher=p._fetcher())
        return bytes(document.write_pdf(stylesheets=p._stylesheets()))

    # Where the PDF's time goes, with the view's context: the template rendered for print, then
    # WeasyPrint's parsing and layout, then its PDF writing (what pdf_bytes does, in three steps).
    def template() -> str:
        kept["html"] = render_to_string("checks/result.html", context, request=request)
        return str(kept["html"])

    def layout() -> Any:
        document = p._engine().HTML(string=kept["html"], url_fetcher=p._fetcher(), media_type="print")
        kept["document"] = document.render(stylesheets=p._stylesheets())
        return kept["document"]

    gc.collect()
    times, last = interleaved(
        {
            "pdf": lambda: get_ok(client, pdf_path, "application/pdf"),
            "html": lambda: get_ok(client, html_path, "text/html"),
            "floor": floor,
            "template": template,
            "layout": layout,
            "write": lambda: kept["document"].write_pdf(),
        },
        sizes.pdf_runs,
        sizes.pdf_warmup,
    )
    return {
        "paths": {"pdf": pdf_path, "html": html_path},
        "pdf": stats(times["pdf"]) | {"bytes": len(last["pdf"]), "pages": len(last["layout"].pages)},
        "html": stats(times["html"]) | {"bytes": len(last["html"])},
        "floor": stats(times["floor"]) | {"bytes": len(last["floor"])},
        "template": stats(times["template"]) | {"bytes": len(last["template"].encode())},
        "layout": stats(times["layout"]),
        "write": stats(times["write"]),
    }


def bench_batch(data: Seeded) -> dict[str, Any]:
    from django.urls import reverse

    clients = [
        (client_for(user), reverse("checks:result_pdf", args=[check.public_id])) for user, check in data.batch
    ]
    gc.collect()
    rss_before = rss_mb()
    sizes: list[int] = []
    times: list[float] = []
    started = time.perf_counter()
    for client, path in clients:
        t0 = time.perf_counter()
        sizes.append(len(get_ok(client, path, "application/pdf")))
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    return {
        "pdfs": len(clients),
        "total_s": total,
        "per_pdf": stats(times),
        "bytes": sum(sizes),
        "bytes_min": min(sizes),
        "bytes_max": max(sizes),
        "rss_mb_before": rss_before,
        "rss_mb_after": rss_mb(),
    }


# --- 3: the xlsx export ---------------------------------------------------------------------------


def read_records() -> tuple[Any, list[Any]]:
    """Every check of the current framework version as a CheckRecord: two queries (checks with their
    owner's login id; answers with item ids, mapped to codes here)."""
    from bansou.checks.models import Check, CheckAnswer
    from bansou.domain.reports import CheckRecord
    from bansou.domain.scoring import Answer
    from bansou.frameworks.models import Item
    from bansou.frameworks.queries import current_version

    version = current_version()
    codes = dict(Item.objects.filter(framework=version).values_list("pk", "code"))
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    rows = CheckAnswer.objects.filter(check_record__framework=version).values_list(
        "check_record_id", "item_id", "understanding", "practice"
    )
    for check_id, item_id, understanding, practice in rows:
        answers[check_id][codes[item_id]] = Answer(understanding, practice)
    checks = (
        Check.objects.filter(framework=version)
        .order_by("submitted_at", "pk")
        .values_list("pk", "public_id", "owner__username", "submitted_at", "fiscal_year")
    )
    return version, [
        CheckRecord(
            person=username or "visitor",
            check_id=str(public_id),
            submitted_at=submitted_at,
            fiscal_year=fiscal_year,
            framework_version=version.version,
            answers=answers[pk],
        )
        for pk, public_id, username, submitted_at, fiscal_year in checks
    ]


def build_workbook(version: Any, records: list[Any]) -> Any:
    from django.utils import timezone

    from bansou.domain.reports import (
        Workbook,
        answers_table,
        code_table,
        metadata_table,
        standard_metadata,
    )
    from bansou.frameworks.queries import framework_of

    framework = framework_of(version)
    meta = standard_metadata(
        framework, exported_at=timezone.localtime(), subject="ベンチマーク：全チェックの回答"
    )
    return Workbook(
        (
            answers_table(framework, records, timezone.get_current_timezone()),
            code_table(framework, {r.fiscal_year for r in records}),
            metadata_table(meta),
        )
    )


def plain_xlsx(book: Any) -> bytes:
    """The limit for the xlsx: openpyxl write-only, the same rows as plain values (no typed cells)."""
    from openpyxl import Workbook as XlsxWorkbook

    out_book = XlsxWorkbook(write_only=True)
    for table in book.tables:
        sheet = out_book.create_sheet(title=table.name)
        sheet.append([column.title for column in table.columns])
        for row in table.rows:
            sheet.append(row)
    out = io.BytesIO()
    out_book.save(out)
    return out.getvalue()


def plain_csv(book: Any) -> bytes:
    """The limit below it: Python's csv writer, the same rows, UTF-8 into memory."""
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    for table in book.tables:
        writer.writerow([column.title for column in table.columns])
        writer.writerows(table.rows)
    text.flush()
    return out.getvalue()


def bench_export(sizes: Sizes) -> dict[str, Any]:
    from bansou.reports import render

    kept: dict[str, Any] = {}

    def read() -> None:
        kept.clear()  # the last round's records, tables and file go before this round's are made
        gc.collect()
        kept["version"], kept["records"] = read_records()

    def build() -> None:
        kept["book"] = build_workbook(kept["version"], kept["records"])

    def write() -> bytes:
        return render.xlsx(kept["book"])

    times, last = interleaved(
        {
            "read": read,
            "build": build,
            "write": write,
            "plain_xlsx": lambda: plain_xlsx(kept["book"]),
            "csv": lambda: plain_csv(kept["book"]),
        },
        sizes.export_runs,
    )
    book, records = kept["book"], kept["records"]
    total = [sum(parts) for parts in zip(times["read"], times["build"], times["write"], strict=True)]
    result = {
        "checks": len(records),
        "answers": sum(len(r.answers) for r in records),
        "rows": sum(len(t.rows) for t in book.tables),
        "answer_rows": len(book.tables[0].rows),
        "read": stats(times["read"]),
        "build": stats(times["build"]),
        "write": stats(times["write"]) | {"bytes": len(last["write"])},
        "total": stats(total),
        "plain_xlsx": stats(times["plain_xlsx"]) | {"bytes": len(last["plain_xlsx"])},
        "csv": stats(times["csv"]) | {"bytes": len(last["csv"])},
        "rss_mb": rss_mb(),  # the last round's records, tables and files still held
        "peak_rss_mb": peak_rss_mb(),
    }
    del book, records, last
    kept.clear()
    gc.collect()
    return result


# --- 4: the 研修 entry workbook ----------------------------------------------------------------------


def make_cohort(participants: int, rng: random.Random) -> tuple[Any, Any, list[Any]]:
    """An organisation, its organiser, and a 研修 (pre-checks open) that ``participants`` people joined."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from bansou.accounts.models import User
    from bansou.cohorts import services
    from bansou.domain.fiscal_year import fiscal_year_of
    from bansou.frameworks.queries import current_version
    from bansou.orgs.services import create_organisation

    unusable = make_password(None)
    organiser = User.objects.create(
        username="report-organiser",
        display_name="県庁 主催",
        furigana="ケンチョウ シュサイ",
        password=unusable,
    )
    org = create_organisation(user=organiser, name="ベンチ県 福祉部", kind="prefecture", prefecture_id=None)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cohort, _code = services.create_cohort(
        user=organiser,
        organisation=org,
        framework=current_version(),
        name="ベンチ 伴走支援者研修",
        fiscal_year=fiscal_year_of(today),
        starts_on=today + 7 * day,
        ends_on=today + 8 * day,
        pre_deadline=today + 6 * day,
        post_deadline=today + 30 * day,
    )
    people = User.objects.bulk_create(
        User(
            username=f"report-p{i:04d}",
            display_name=f"受講者 {i:04d}",
            furigana=f"{rng.choice(KANA)} {rng.choice(KANA)}",
            password=unusable,
        )
        for i in range(participants)
    )
    seats = [services.join(cohort=cohort, user=user)[0] for user in people]
    return organiser, cohort, seats


def fill_entry_workbook(body: bytes, labels: list[str], rng: random.Random) -> bytes:
    """Every answer cell of every participant's row filled, as a person would in Excel (openpyxl)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body))
    sheet = book["入力"]
    for row in range(2, sheet.max_row + 1):
        for col in range(3, sheet.max_column + 1):
            sheet.cell(row=row, column=col).value = rng.choice(labels)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_every_cell(data: bytes) -> int:
    """The limit for the reader: openpyxl read-only, every cell value of every sheet of the file."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = 0
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += sum(1 for value in row if value is not None)
    finally:
        book.close()
    return cells


def bench_import(sizes: Sizes, rng: random.Random) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from bansou.checks.models import Check, CheckAnswer, CheckStanding
    from bansou.cohorts import services
    from bansou.cohorts.models import Participant, Phase, Submission
    from bansou.domain.fiscal_year import fiscal_year_of
    from bansou.domain.scoring import Answer, score
    from bansou.frameworks.models import Item
    from bansou.frameworks.queries import framework_of
    from bansou.reports import fillin

    organiser, cohort, seats = make_cohort(sizes.participants, rng)
    framework = framework_of(cohort.framework)
    client = client_for(organiser)
    entry_path = reverse("cohorts:paper_xlsx", args=[cohort.public_id])
    paper_path = reverse("cohorts:paper", args=[cohort.public_id])
    blank = get_ok(client, entry_path, XLSX)
    labels = [level.label for level in framework.scale.levels]
    data = fill_entry_workbook(blank, labels, rng)
    by_code = {str(seat.number): seat.pk for seat in seats}
    codes = list(by_code)
    cohort_id = str(cohort.public_id)

    def read() -> Any:
        return fillin.read_cohort(data, framework, cohort_id=cohort_id, participants=codes)

    rows = [(row.row, by_code[row.participant], row.answers) for row in read().rows]
    if len(rows) != sizes.participants:
        raise RuntimeError(f"read_cohort gave {len(rows)} rows, not {sizes.participants}")

    def entered() -> tuple[int, int]:
        return (
            Check.objects.filter(entered_by=organiser).count(),
            Submission.objects.filter(participant__cohort=cohort, phase=Phase.PRE).count(),
        )

    def check_and_clean_up() -> None:
        """Every row entered, then the entered checks removed (answers, standings, hand-ins with them)."""
        if entered() != (sizes.participants, sizes.participants):
            raise RuntimeError(f"{entered()} checks and hand-ins entered, not {sizes.participants}")
        Check.objects.filter(entered_by=organiser).delete()
        if entered() != (0, 0):
            raise RuntimeError("the entered checks were not removed")

    def enter() -> int:
        return services.enter_paper_results(
            cohort=cohort, phase=Phase.PRE, rows=rows, entered_by=organiser, answered_on=timezone.localdate()
        )

    def upload() -> int:
        file = SimpleUploadedFile("entry.xlsx", data, content_type=XLSX)
        form = {"phase": Phase.PRE, "file": file, "answered_on": timezone.localdate().isoformat()}
        response = client.post(paper_path, form)
        if response.status_code != 302:
            raise RuntimeError(f"POST {paper_path}: HTTP {response.status_code} {response.content[:500]!r}")
        return int(response.status_code)

    # The inserts alone: the same rows (checks, answers, standings, hand-ins) in one transaction, each
    # table in one bulk_create; what the domain computes (the standings) is done beforehand.
    version = cohort.framework
    item_ids = dict(Item.objects.filter(framework=version).values_list("code", "pk"))
    by_pk = {seat.pk: seat for seat in Participant.objects.filter(cohort=cohort)}
    scored = [
        (by_pk[pk], answers, score(framework, {c: Answer(u, p) for c, (u, p) in answers.items()}))
        for _row, pk, answers in rows
    ]

    def inserts() -> None:
        now = timezone.now()
        with transaction.atomic():
            checks = Check.objects.bulk_create(
                Check(
                    owner_id=seat.user_id,
                    framework=version,
                    submitted_at=now,
                    fiscal_year=fiscal_year_of(timezone.localdate(now)),
                    draft_public_id=uuid.uuid4(),
                    entered_by=organiser,
                    entered_by_name=organiser.display_name,
                )
                for seat, _answers, _result in scored
            )
            CheckAnswer.objects.bulk_create(
                CheckAnswer(check_record=check, item_id=item_ids[code], understanding=u, practice=p)
                for check, (_seat, answers, _result) in zip(checks, scored, strict=True)
                for code, (u, p) in answers.items()
            )
            CheckStanding.objects.bulk_create(
                standing
                for check, (_seat, _answers, result) in zip(checks, scored, strict=True)
                for standing in standing_rows(check, result)
            )
            Submission.objects.bulk_create(
                Submission(participant=seat, phase=Phase.PRE, check_record=check)
                for check, (seat, _answers, _result) in zip(checks, scored, strict=True)
            )

    gc.collect()
    times, last = interleaved(
        {
            "read": read,
            "floor_read": lambda: read_every_cell(data),
            "enter": enter,
            "inserts": inserts,
            "upload": upload,
            "entry_download": lambda: get_ok(client, entry_path, XLSX),
        },
        sizes.import_runs,
        1,
        after=dict.fromkeys(("enter", "inserts", "upload"), check_and_clean_up),
    )
    return {
        "participants": sizes.participants,
        "file_bytes": len(data),
        "answer_cells": sizes.participants * 2 * len(framework.item_codes()),
        "cells_read_by_floor": last["floor_read"],
        "entry_download": stats(times["entry_download"]) | {"bytes": len(blank)},
        **{name: stats(times[name]) for name in ("read", "enter", "upload", "floor_read", "inserts")},
    }


# --- reporting ------------------------------------------------------------------------------------


def versions(database: str, database_version: str) -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    machine = machine_info()
    machine.pop("gunicorn", None)
    pango = None
    with contextlib.suppress(Exception):  # Pango lays out the text; its version matters to WeasyPrint
        from weasyprint.text.ffi import pango as libpango

        number = int(libpango.pango_version())
        pango = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    import openpyxl

    return machine | {
        "cpu_count": os.cpu_count(),
        "database": database,
        "database_version": database_version,
        "weasyprint": version("weasyprint"),
        "pango": pango,
        "openpyxl": version("openpyxl"),
        # Without lxml openpyxl writes XML with et_xmlfile (pure Python) and reads with defusedxml.
        "lxml": version("lxml") if openpyxl.LXML else None,
    }


def machine_line(m: dict[str, Any]) -> str:
    db = "SQLite" if m["database"] == "sqlite" else "PostgreSQL"
    return (
        f"{m['cpu_model']}; {m['nproc']} CPUs usable (nproc; os.cpu_count {m['cpu_count']}), {m['memory']}; "
        f"Linux {m['kernel']}; Python {m['python']}, Django {m['django']}, {db} {m['database_version']}"
        f"{', psycopg ' + m['psycopg'] if m['database'] != 'sqlite' and m['psycopg'] else ''}, "
        f"WeasyPrint {m['weasyprint']} (Pango {m['pango'] or '?'}), openpyxl {m['openpyxl']} "
        f"({'with lxml ' + m['lxml'] if m['lxml'] else 'without lxml'}); "
        f"commit {(m['commit'] or '?')[:10]}"
    )


def row(label: str, s: dict[str, Any], extra: str = "") -> str:
    return (
        f"| {label} | {s['n']} | {s['median_ms']:,.1f} | {s['p90_ms']:,.1f} | {s['min_ms']:,.1f} "
        f"| {s['max_ms']:,.1f} | {extra} |"
    )


HEAD = "| measured | runs | median ms | p90 ms | min ms | max ms | size |\n|---|---:|---:|---:|---:|---:|---|"


def ratios(result: dict[str, Any]) -> dict[str, float | None]:
    """Each figure against its nearest limit measured in the same run (medians)."""
    personal, batch, export, cohort = (result[k] for k in ("personal", "batch", "export", "import"))

    def med(section: dict[str, Any], key: str) -> float:
        return float(section[key]["median_ms"])

    return {
        "pdf_vs_html": ratio(med(personal, "pdf"), med(personal, "html")),
        "pdf_vs_floor": ratio(med(personal, "pdf"), med(personal, "floor")),
        "pdf_minus_floor_ms": med(personal, "pdf") - med(personal, "floor"),
        "batch_pdf_vs_personal_pdf": ratio(med(batch, "per_pdf"), med(personal, "pdf")),
        "batch_pdf_vs_floor": ratio(med(batch, "per_pdf"), med(personal, "floor")),
        "xlsx_vs_plain_xlsx": ratio(med(export, "write"), med(export, "plain_xlsx")),
        "xlsx_vs_csv": ratio(med(export, "write"), med(export, "csv")),
        "export_vs_csv": ratio(med(export, "total"), med(export, "csv")),
        "read_vs_floor": ratio(med(cohort, "read"), med(cohort, "floor_read")),
        "enter_vs_inserts": ratio(med(cohort, "enter"), med(cohort, "inserts")),
        "upload_vs_floor_plus_inserts": ratio(
            med(cohort, "upload"), med(cohort, "floor_read") + med(cohort, "inserts")
        ),
        "upload_minus_read_and_enter_ms": med(cohort, "upload") - med(cohort, "read") - med(cohort, "enter"),
    }


def report(result: dict[str, Any]) -> str:
    personal, batch, export, cohort = (result[k] for k in ("personal", "batch", "export", "import"))
    data, r = result["data"], result["ratios"]
    pdf, html, floor = personal["pdf"], personal["html"], personal["floor"]
    n = batch["pdfs"]
    mb = 1e6
    lines = [
        f"### 1. Personal PDF: the result page of one check (owner logged in; test client, "
        f"{pdf['n']} requests after {result['sizes']['pdf_warmup']} warm-up each)",
        "",
        HEAD,
        row(
            "**result page as PDF** GET /checks/<id>/result.pdf",
            pdf,
            f"{pdf['bytes']:,} B, {pdf['pages']} pages",
        ),
        row("limit: the same page as HTML GET /checks/<id>/", html, f"{html['bytes']:,} B"),
        row(
            "limit: WeasyPrint floor (one Japanese paragraph, the same stylesheets)",
            floor,
            f"{floor['bytes']:,} B",
        ),
        row(
            "of the PDF: the template rendered for print",
            personal["template"],
            f"{personal['template']['bytes']:,} B HTML",
        ),
        row("of the PDF: WeasyPrint parsing and layout", personal["layout"]),
        row("of the PDF: WeasyPrint writing the PDF", personal["write"]),
        "",
        f"**PDF / HTML page (median): {fmt(r['pdf_vs_html'], 1)}; PDF / floor: {fmt(r['pdf_vs_floor'], 1)}** "
        f"(PDF minus floor: {r['pdf_minus_floor_ms']:,.0f} ms).",
        "",
        f"### 2. {n} PDFs in one batch (the result pages of {n} people, one check each, one after another "
        "in one process)",
        "",
        HEAD,
        row(
            f"per PDF ({n} in a row)", batch["per_pdf"], f"{batch['bytes_min']:,} to {batch['bytes_max']:,} B"
        ),
        "",
        f"**Total {batch['total_s']:.1f} s for {n} PDFs ({1000 * batch['total_s'] / n:,.0f} ms per PDF), "
        f"{batch['bytes'] / mb:.2f} MB in all.** Per PDF (median) / the personal PDF (median, 1.): "
        f"{fmt(r['batch_pdf_vs_personal_pdf'])}; / the floor: {fmt(r['batch_pdf_vs_floor'], 1)}. "
        f"Resident memory of the process {batch['rss_mb_before']:.0f} MB before the batch, "
        f"{batch['rss_mb_after']:.0f} MB after.",
        "",
        f"### 3. xlsx export of {export['checks']:,} checks ({export['answers']:,} answers, "
        f"{export['answer_rows']:,} rows in 回答, {export['rows']:,} rows in all)",
        "",
        HEAD,
        row("(a) reading the records from the database (CheckRecord)", export["read"]),
        row("(b) building the tables (answers_table, code_table, metadata_table)", export["build"]),
        row(
            "(c) writing the xlsx (render.xlsx, typed cells)",
            export["write"],
            f"{export['write']['bytes'] / mb:.1f} MB",
        ),
        row("**(a) + (b) + (c)**", export["total"]),
        row(
            "limit: openpyxl write-only, plain values (sheet.append(row))",
            export["plain_xlsx"],
            f"{export['plain_xlsx']['bytes'] / mb:.1f} MB",
        ),
        row("limit: csv.writer into BytesIO (UTF-8)", export["csv"], f"{export['csv']['bytes'] / mb:.1f} MB"),
        "",
        f"**(c) / plain openpyxl: {fmt(r['xlsx_vs_plain_xlsx'])}; (c) / csv: {fmt(r['xlsx_vs_csv'], 1)}; "
        f"(a)+(b)+(c) / csv: {fmt(r['export_vs_csv'], 1)}.** Resident memory with the records, tables "
        f"and file held: {export['rss_mb']:.0f} MB (the process's peak so far: "
        f"{export['peak_rss_mb']:.0f} MB).",
        "",
        f"### 4. Import of a {cohort['participants']}-participant 研修 entry workbook (every answer cell "
        f"filled: {cohort['answer_cells']:,} cells, {cohort['file_bytes']:,} B)",
        "",
        HEAD,
        row("(a) fillin.read_cohort", cohort["read"]),
        row(f"(b) enter_paper_results ({cohort['participants']} checks, committed)", cohort["enter"]),
        row("**(c) the upload** POST /cohorts/<id>/paper/ (organiser)", cohort["upload"]),
        row(
            f"limit: openpyxl read-only, every cell of the file ({cohort['cells_read_by_floor']:,} values)",
            cohort["floor_read"],
        ),
        row("limit: the bulk inserts alone (4 bulk_create, one transaction)", cohort["inserts"]),
        row(
            "for scale: the blank entry workbook GET /cohorts/<id>/paper.xlsx",
            cohort["entry_download"],
            f"{cohort['entry_download']['bytes']:,} B",
        ),
        "",
        f"**(a) / read-only floor: {fmt(r['read_vs_floor'], 1)}; (b) / bulk inserts: "
        f"{fmt(r['enter_vs_inserts'], 1)}; (c) / (floor + inserts): "
        f"{fmt(r['upload_vs_floor_plus_inserts'], 1)}**.",
        "",
        f"Data: {data['checks']:,} checks ({data['answers']:,} answers) seeded in {data['seconds']} s; "
        f"the {cohort['participants']} participants and their 研修 besides.",
    ]
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a check that it works: {QUICK.checks:,} checks, {QUICK.batch} PDFs in the batch, "
        f"{QUICK.pdf_runs} PDF runs, {QUICK.import_runs} import runs",
    )
    env_url = os.environ.get("DATABASE_URL", "")
    env_pg = urllib.parse.urlsplit(env_url).scheme in ("postgres", "postgresql")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="postgresql" if env_pg else "sqlite",
        help="sqlite (default), or postgresql (the default when DATABASE_URL names a PostgreSQL server)",
    )
    default_server = "postgres://postgres@127.0.0.1:5432"
    if env_pg:  # its server only: the database DATABASE_URL names is never opened
        parts = urllib.parse.urlsplit(env_url)
        default_server = f"{parts.scheme}://{parts.netloc}"
    parser.add_argument("--pg-server", default=default_server, help="PostgreSQL server URL")
    parser.add_argument("--pg-database", default="bansou_bench_reports", help="database made and dropped")
    parser.add_argument("--checks", type=int, help=f"checks in the database, all exported ({FULL.checks})")
    parser.add_argument("--batch", type=int, help=f"PDFs in the batch ({FULL.batch})")
    parser.add_argument("--participants", type=int, help=f"participants of the 研修 ({FULL.participants})")
    parser.add_argument("--seed", type=int, default=20260601, help="random seed of the data")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if env_pg and args.pg_database == urllib.parse.urlsplit(env_url).path.lstrip("/"):
        parser.error("--pg-database is the database DATABASE_URL names: the run drops it (choose another)")
    sizes = QUICK if args.quick else FULL
    overrides = {"checks": args.checks, "batch": args.batch, "participants": args.participants}
    sizes = Sizes(**(asdict(sizes) | {k: v for k, v in overrides.items() if v is not None}))
    if sizes.batch < 1 or sizes.participants < 1:
        parser.error("--batch and --participants must be at least 1")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: drop the database, remove tmp
    started = time.perf_counter()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-reports-"))
    result: dict[str, Any] = {"sizes": asdict(sizes), "quick": args.quick}
    try:
        with contextlib.ExitStack() as stack:
            if args.database == "sqlite":
                url, db_version = f"sqlite:///{tmp / 'bansou.sqlite3'}", sqlite3.sqlite_version
            else:
                url, db_version = stack.enter_context(postgres_database(args.pg_server, args.pg_database))
            machine = versions(args.database, db_version)
            log(f"machine: {machine_line(machine)}")
            where = (
                tmp
                if args.database == "sqlite"
                else f"{args.pg_database} on {urllib.parse.urlsplit(url).hostname}"
            )
            log(f"sizes: {asdict(sizes)}; database: {where}")
            t0 = time.perf_counter()
            set_up_django(url, tmp)
            from django.db import connection, connections

            if connection.vendor != ("sqlite" if args.database == "sqlite" else "postgresql"):
                raise RuntimeError(f"connected to {connection.vendor}, not {args.database}")
            log(f"migrated, frameworks loaded, static files collected ({time.perf_counter() - t0:.1f} s)")
            data = seed(sizes.checks, sizes.batch, rng)
            if connection.vendor == "postgresql":  # what autovacuum does within a minute of such a load
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            result["data"] = {"checks": data.checks, "answers": data.answers, "seconds": data.seconds}
            log(f"seeded {data.checks:,} checks, {data.answers:,} answers in {data.seconds} s")

            result["personal"] = personal = bench_personal_pdf(data, sizes)
            log(
                f"1. personal PDF median {personal['pdf']['median_ms']:.0f} ms, HTML "
                f"{personal['html']['median_ms']:.0f} ms, floor {personal['floor']['median_ms']:.0f} ms"
            )
            result["batch"] = batch = bench_batch(data)
            log(f"2. {batch['pdfs']} PDFs in {batch['total_s']:.1f} s")
            result["export"] = export = bench_export(sizes)
            log(
                f"3. export of {export['checks']:,} checks: read {export['read']['median_ms']:.0f} ms, build "
                f"{export['build']['median_ms']:.0f} ms, xlsx {export['write']['median_ms']:.0f} ms"
            )
            result["import"] = cohort = bench_import(sizes, rng)
            log(
                f"4. import of {cohort['participants']} rows: read {cohort['read']['median_ms']:.0f} ms, "
                f"enter {cohort['enter']['median_ms']:.0f} ms, upload {cohort['upload']['median_ms']:.0f} ms"
            )
            connections.close_all()
    finally:
        if args.keep_tmp:
            log(f"temporary files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    result["seconds"] = round(time.perf_counter() - started, 1)
    result["ratios"] = ratios(result)
    print()
    print(
        f"## bansou reports benchmark — {datetime.datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        f"{' (--quick)' if args.quick else ''}\n\n"
        f"Machine: {machine_line(machine)}. In one process (Django's test client, no HTTP server), "
        f"{result['seconds']:.0f} s in all.\n"
    )
    print(report(result))
    print()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"reports-{datetime.datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {
        "benchmark": "reports",
        "when": datetime.datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        **result,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
