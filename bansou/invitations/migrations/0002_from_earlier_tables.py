"""Every invitation there was, in the one model: team and organisation invitations, 研修 join codes
and sign-up codes. Codes keep working (their digests, keyed with SECRET_KEY, are stored); the codes
themselves are no longer kept, so lists show their last four characters.

Going back writes the earlier rows again, but a code cannot be recovered from its digest: every
invitation moved back gets a new code that nobody has seen (and 研修 get new join codes, in
cohorts/0002). After going back, make new invitations.
"""

import secrets
import unicodedata

from django.db import migrations
from django.utils import timezone
from django.utils.crypto import salted_hmac


def _normalise(typed):
    text = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in text if ch.isalnum())


def _digest(code):
    # As bansou.invitations.services.digest_of (copied: a migration must not change with the code).
    return salted_hmac("bansou.invitations", _normalise(code), algorithm="sha256").hexdigest()


def forward(apps, schema_editor):
    Invitation = apps.get_model("invitations", "Invitation")
    Redemption = apps.get_model("invitations", "Redemption")
    TeamInvitation = apps.get_model("teams", "TeamInvitation")
    OrgInvitation = apps.get_model("orgs", "OrgInvitation")
    Cohort = apps.get_model("cohorts", "Cohort")
    SignupCode = apps.get_model("accounts", "Invitation")

    moved_at = timezone.now()  # when an invitation was revoked was not recorded: the move stands for it

    def add(code, **fields):
        return Invitation.objects.create(digest=_digest(code), hint=_normalise(code)[-4:], **fields)

    for old in TeamInvitation.objects.all():
        add(
            old.code,
            kind="team",
            target_id=old.team_id,
            created_by_id=old.created_by_id,
            created_at=old.created_at,
            expires_at=old.expires_at,
            revoked_at=moved_at if old.revoked else None,
        )
    for old in OrgInvitation.objects.all():
        add(
            old.code,
            kind="organisation",
            target_id=old.organisation_id,
            role=old.role,
            created_by_id=old.created_by_id,
            created_at=old.created_at,
            expires_at=old.expires_at,
            revoked_at=moved_at if old.revoked else None,
        )
    for cohort in Cohort.objects.all():
        add(
            cohort.join_code,
            kind="cohort",
            target_id=cohort.pk,
            created_by_id=cohort.created_by_id,
            created_at=cohort.created_at,
            expires_at=None,
        )
    for old in SignupCode.objects.all():
        invitation = add(
            old.code,
            kind="signup",
            note=old.note,
            created_by_id=old.created_by_id,
            created_at=old.created_at,
            expires_at=None,
            max_uses=1,
            uses=1 if old.used_by_id else 0,
            grants_signup=True,
        )
        if old.used_by_id:
            at = old.used_at or old.created_at
            Redemption.objects.create(invitation=invitation, user_id=old.used_by_id, at=at, approved_at=at)


def _unseen_code():
    alphabet = "34679ACDEFGHJKMNPQRTUVWXY"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def backward(apps, schema_editor):
    Invitation = apps.get_model("invitations", "Invitation")
    Redemption = apps.get_model("invitations", "Redemption")
    earlier = {
        "team": (apps.get_model("teams", "TeamInvitation"), "team_id"),
        "organisation": (apps.get_model("orgs", "OrgInvitation"), "organisation_id"),
    }
    for invitation in Invitation.objects.filter(kind__in=earlier):
        model, target = earlier[invitation.kind]
        extra = {"role": invitation.role} if invitation.kind == "organisation" else {}
        row = model.objects.create(
            code=_unseen_code(),
            created_by_id=invitation.created_by_id,
            expires_at=invitation.expires_at or invitation.created_at,
            revoked=invitation.revoked_at is not None,
            **{target: invitation.target_id},
            **extra,
        )
        model.objects.filter(pk=row.pk).update(created_at=invitation.created_at)  # auto_now_add
    SignupCode = apps.get_model("accounts", "Invitation")
    for invitation in Invitation.objects.filter(kind="signup"):
        used = Redemption.objects.filter(invitation=invitation).order_by("at").first()
        row = SignupCode.objects.create(
            code=secrets.token_urlsafe(12),
            note=invitation.note,
            created_by_id=invitation.created_by_id,
            used_by_id=used.user_id if used else None,
            used_at=used.at if used else None,
        )
        SignupCode.objects.filter(pk=row.pk).update(created_at=invitation.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0001_initial"),
        ("accounts", "0001_initial"),
        ("cohorts", "0001_initial"),
        ("orgs", "0001_initial"),
        ("teams", "0002_checkshare_to_sharing"),
    ]

    operations = [migrations.RunPython(forward, backward)]
