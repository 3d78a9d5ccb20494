"""Pages of the self-check: start or resume, the sheet (with autosave), submit, result, history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bansou.checks import access, companions, forms, queries, services
from bansou.checks.models import Check, Draft
from bansou.checks.presenters import result_context, sheet_context
from bansou.domain.drafts import Outcome
from bansou.domain.scoring import IncompleteAnswers, missing_items, progress
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import current_version, framework_of
from bansou.reports import fillin, pdf, responses, uploads
from bansou.reports.fillin_messages import describe_all
from bansou.reports.render import XLSX
from bansou.web.http import answers_json, bad_request_json


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Resumes the open draft (of whatever framework version), or starts one (for a visitor too)."""
    holder = access.holder_of(request, create=True)
    draft = queries.open_draft(holder) or services.get_or_start_draft(
        holder=holder, version=current_version()
    )
    return redirect("checks:sheet", draft.public_id)


# What a form posted while its session had expired, kept until the person has logged in again.
UNSENT_KEY = "bansou_unsent_answers"


@never_cache  # Back must show the answers as saved now, not a cached page with old revisions
@require_http_methods(["GET", "HEAD", "POST"])
def sheet(request: HttpRequest, draft_id: str) -> HttpResponse:
    submitted = access.find_own_submission(request, draft_id)
    if submitted is not None:  # submitted again, or opened again (Back, reload, another tab)
        return _show_submitted(request, submitted)
    try:
        draft = access.get_own_draft(request, draft_id)
    except Http404:
        if request.user.is_authenticated:
            raise
        return _ask_to_log_in_again(request, draft_id)
    if request.method == "POST":
        return _save(request, draft, request.POST, action=request.POST.get("action", "save"))
    unsent = request.session.pop(UNSENT_KEY, None)
    if unsent and unsent.get("draft") == str(draft.public_id):
        return _save(request, draft, unsent["fields"], action="save")
    return _render_sheet(request, draft)


def _show_submitted(request: HttpRequest, check: Check) -> HttpResponse:
    messages.info(request, _("このチェックは提出済みです。提出したチェックは変更できません。"))
    return redirect("checks:result", check.public_id)


def _ask_to_log_in_again(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Without a session the likeliest cause is that it expired: keep what was posted, ask for a login.

    The same answer is given for any id, so nothing is learnt about which drafts exist.
    """
    if request.method == "POST":
        fields = {k: v for k, v in request.POST.items() if k.startswith(("a-", "b-"))}
        request.session[UNSENT_KEY] = {"draft": draft_id, "fields": fields}
        messages.info(
            request, _("ログインの有効期限が切れていました。ログインし直すと、送信した回答を保存します。")
        )
    return redirect_to_login(reverse("checks:sheet", args=[draft_id]))


def _save(request: HttpRequest, draft: Draft, fields: Mapping[str, str], *, action: str) -> HttpResponse:
    framework = framework_of(draft.framework)
    try:
        results = services.save_cells(draft=draft, edits=forms.edits_from_post(framework, fields))
    except services.DraftGone:
        return _draft_gone(request, draft)
    conflicts = {(r.edit.item, r.edit.axis.value) for r in results if r.outcome is Outcome.CONFLICT}
    if conflicts:
        return _render_sheet(request, draft, conflicts=conflicts, status=409)
    if action == "review":  # 提出する on the sheet: every item answered, then one page to confirm
        return _review(request, draft)
    if action != "submit":
        messages.success(request, _("回答を保存しました。"))
        return redirect("checks:sheet", draft.public_id)
    try:
        check = services.submit_draft(draft=draft, holder=access.holder_of(request))
    except services.DraftGone:
        return _draft_gone(request, draft)
    except IncompleteAnswers as exc:
        return _render_sheet(request, draft, missing=exc.missing, status=400)
    messages.success(request, _("セルフチェックを提出しました。"))
    return redirect("checks:result", check.public_id)


def _review(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Before submitting: unanswered items go back to the sheet (a check is scored only when complete);
    otherwise a page says what submitting means. Its button posts ``action=submit``, which is idempotent.
    """
    framework = framework_of(draft.framework)
    answers = queries.draft_answers(draft)
    missing = missing_items(framework, answers)
    if missing:
        return _render_sheet(request, draft, missing=missing, status=400)
    counts = progress(framework, answers)
    context = {
        "draft": draft,
        "framework": framework,
        "sheets": counts,
        "answered": sum(p.answered for p in counts),
        "total": sum(p.total for p in counts),
        "unanswered": sum(p.total - p.answered for p in counts),
    }
    return render(request, "checks/confirm_submit.html", context)


def _draft_gone(request: HttpRequest, draft: Draft) -> HttpResponse:
    """The draft went while this request ran: submitted from another tab, or merged on login."""
    submitted = access.find_own_submission(request, str(draft.public_id))
    if submitted is not None:
        return _show_submitted(request, submitted)
    messages.error(
        request, _("この回答中のチェックは見つかりませんでした。トップページの「続きから」を使ってください。")
    )
    return redirect("home")


def _render_sheet(
    request: HttpRequest,
    draft: Draft,
    *,
    conflicts: set[tuple[str, str]] | None = None,
    missing: tuple[str, ...] = (),
    status: int = 200,
) -> HttpResponse:
    notes = companions.sheet_notes(draft.owner_id)
    context = sheet_context(
        draft,
        queries.draft_cells(draft),
        conflicts=conflicts or set(),
        missing=missing,
        plan_steps=notes.by_item,
    )
    context["plan"] = notes.source
    return render(request, "checks/sheet.html", context, status=status)


@answers_json
@require_POST
def autosave(request: HttpRequest, draft_id: str) -> HttpResponse:
    """Saves edits sent by the page's script; answers per edit whether it was saved or refused."""
    submitted = access.find_own_submission(request, draft_id)
    if submitted is not None:
        return _submitted_json(submitted)
    try:
        draft = access.get_own_draft(request, draft_id)
    except Http404:
        if not request.user.is_authenticated:  # most likely a session that expired
            return JsonResponse({"error": "login", "login_url": reverse("accounts:login")}, status=403)
        return JsonResponse({"error": "gone"}, status=404)
    if request.content_type != "application/json":  # a form's body was read already: not ours
        return bad_request_json()
    try:
        edits = forms.edits_from_json(request.body)
    except (ValueError, UnicodeDecodeError, json.JSONDecodeError):
        return bad_request_json()
    try:
        results = services.save_cells(draft=draft, edits=edits)
    except services.DraftGone:  # submitted from another tab while this request ran
        submitted = access.find_own_submission(request, draft_id)
        return _submitted_json(submitted) if submitted else JsonResponse({"error": "gone"}, status=404)
    framework = framework_of(draft.framework)
    answers = queries.draft_answers(draft)
    return JsonResponse(
        {
            "results": [
                {
                    "item": r.edit.item,
                    "axis": r.edit.axis.value,
                    "outcome": r.outcome.value,
                    "value": r.value,
                    "revision": r.revision,
                }
                for r in results
            ],
            "progress": [
                {"sheet": p.sheet.code, "answered": p.answered, "total": p.total}
                for p in progress(framework, answers)
            ],
            "missing": list(missing_items(framework, answers)),
        }
    )


def _submitted_json(check: Check) -> JsonResponse:
    url = reverse("checks:result", args=[check.public_id])
    return JsonResponse({"error": "submitted", "result_url": url}, status=409)


@require_safe
def result(request: HttpRequest, check_id: str, as_pdf: bool = False) -> HttpResponse:
    """The result page; with ``as_pdf`` the same page as an A4 PDF."""
    check = access.get_own_check(request, check_id)
    context = result_context(check)
    context["can_download"] = True  # the holder's own result (visitors' too)
    context.update(companions.result.collect(check))  # 次の一歩 (plans)
    return pdf.respond(request, "checks/result.html", context, pdf_name="bansou-result" if as_pdf else None)


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    holder = access.holder_of(request)
    draft = queries.open_draft(holder)
    context: dict[str, Any] = {
        "years": sorted(queries.history(holder).items(), reverse=True),
        "draft": draft,
        "draft_progress": _draft_progress(draft) if draft else None,
    }
    return render(request, "checks/history.html", context)


def _draft_progress(draft: Draft) -> dict[str, int]:
    counts = progress(framework_of(draft.framework), queries.draft_answers(draft))
    return {"answered": sum(p.answered for p in counts), "total": sum(p.total for p in counts)}


# Paper and Excel: the blank sheet to print, and a filled-in xlsx sheet taken back as a draft ------


@require_safe
def blank_sheet(request: HttpRequest, as_pdf: bool = False) -> HttpResponse:
    """The check list with boxes to tick, for paper workshops; the page or an A4 PDF."""
    version = current_version()
    return pdf.respond(
        request,
        "checks/blank_sheet.html",
        _blank_context(version),
        pdf_name="bansou-check-sheet" if as_pdf else None,
        cache_key=("blank-sheet", version.pk, version.digest),
    )


def _blank_context(version: FrameworkVersion | None = None, **extra: Any) -> dict[str, Any]:
    framework = framework_of(version or current_version())
    return {
        "framework": framework,
        "axes": framework.axes,
        "levels": sorted(framework.scale.levels, key=lambda level: -level.value),
        "choices": fillin.choices_text(framework.scale),
        **extra,
    }


def _import_refused(request: HttpRequest, problems: list[str], status: int = 400) -> HttpResponse:
    return render(request, "checks/blank_sheet.html", _blank_context(import_problems=problems), status=status)


def _import_too_large(request: HttpRequest) -> HttpResponse:
    return _import_refused(request, [uploads.too_large_text(fillin.PERSONAL_LIMIT)], status=413)


@require_POST
@uploads.limited_upload(fillin.PERSONAL_LIMIT, _import_too_large)
def import_sheet(request: HttpRequest) -> HttpResponse:
    """Reads a filled-in xlsx sheet into the holder's draft; all or nothing, then the sheet to review."""
    upload = request.FILES.get("file")
    if upload is None:
        return _import_refused(request, [_("取り込む xlsx ファイルを選んでください。")])
    version = current_version()
    try:
        sheet = fillin.read_personal(upload.read(fillin.PERSONAL_LIMIT + 1), framework_of(version))
    except fillin.FillInError as error:
        return _import_refused(request, describe_all(error))
    holder = access.holder_of(request, create=True)
    try:
        draft, count = services.import_answers(holder=holder, version=version, answers=sheet.answers)
    except services.DraftGone:  # submitted from another tab at this very moment
        message = _("回答中のチェックが、ちょうど別のタブで提出されました。もう一度取り込んでください。")
        return _import_refused(request, [message], status=409)
    except services.ImportConflict as conflict:
        names = {item.code: f"{item.mark}{item.name}" for item in framework_of(version).items()}
        return _import_refused(
            request,
            [
                _(
                    "回答中のチェックに、ファイルと違う回答があります。上書きしないため、取り込みませんでした。"
                    "回答中のチェックで直すか、ファイルを直してください："
                )
                + "、".join(names.get(code, code) for code in conflict.items)
            ],
            status=409,
        )
    messages.success(
        request,
        _("ファイルから %(count)d 件の回答を取り込みました。内容を確かめてから提出してください。")
        % {"count": count},
    )
    return redirect("checks:sheet", draft.public_id)


@never_cache
@require_safe
def draft_xlsx(request: HttpRequest, draft_id: str) -> HttpResponse:
    """The draft so far as the fill-in workbook, to go on in Excel and upload again (import_sheet)."""
    draft = access.get_own_draft(request, draft_id)
    answers = {
        code: (answer.understanding, answer.practice)
        for code, answer in queries.draft_answers(draft).items()
        if answer.understanding is not None or answer.practice is not None
    }
    body = fillin.blank_personal(framework_of(draft.framework), answers=answers)
    return responses.download(body, XLSX, f"bansou-check-draft-{responses.stamp()}.xlsx")
