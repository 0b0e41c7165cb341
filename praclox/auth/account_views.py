"""The user's own security page: active sessions, the second factor, re-authentication."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from praclox.auth import notices, services, sessions, throttle, totp
from praclox.auth.access import roles_required
from praclox.auth.forms import ActionForm, EnrolForm, ReauthForm
from praclox.auth.models import User
from praclox.auth.passwords import verify_password
from praclox.auth.views import bp, end_guessing_session, note_failure
from praclox.extensions import db
from praclox.urls import safe_next


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def reauth() -> str | Response | tuple[str, int]:
    """Enter the password (and a code when enrolled) again before a sensitive action."""
    user = current_user._get_current_object()
    next_url = safe_next(request.args.get("next"), url_for("main.index"))
    if throttle.lock_state(user.email, account_wide=False):
        return end_guessing_session(user)
    form = ReauthForm()
    enrolled = totp.is_enrolled(user)
    if form.validate_on_submit():
        ok = verify_password(user.password_hash, form.password.data)
        if ok and enrolled:
            ok = totp.verify_second_factor(user, form.code.data)
        if ok:
            sessions.mark_authenticated()
            db.session.commit()
            return redirect(next_url)
        db.session.rollback()
        note_failure(user.email)
        form.password.errors.append(_("The password or the code is not right."))
    return render_template("auth/reauth.html", form=form, enrolled=enrolled), 422 if form.errors else 200


@bp.route("/account/sessions")
@login_required
def sessions_page() -> str:
    current = sessions.current()
    return render_template(
        "auth/sessions.html", rows=sessions.active_for(current_user), current_id=current.id if current else None,
        form=ActionForm(),
    )


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    if not sessions.end(current_user, session_id):
        abort(404)
    db.session.commit()
    flash(_("The session has been ended."), "success")
    return redirect(url_for("auth.sessions_page"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    count = sessions.end_all(current_user, keep=session.get(sessions.SESSION_KEY))
    db.session.commit()
    flash(ngettext("%(num)d other session ended.", "%(num)d other sessions ended.", count), "success")
    return redirect(url_for("auth.sessions_page"))


@bp.route("/account/two-factor")
@login_required
def two_factor() -> str:
    factor = totp.factor_of(current_user)
    return render_template(
        "auth/two_factor.html", factor=factor, required=totp.is_required(current_user),
        remaining=totp.remaining_recovery_codes(current_user), form=ActionForm(), enrol_form=EnrolForm(),
    )


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
@sessions.require_recent_auth  # a stolen session must not tie the account to the thief's authenticator
def two_factor_start() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    if not totp.is_enrolled(current_user):
        totp.start_enrolment(current_user)
        db.session.commit()
    return redirect(url_for("auth.two_factor"))


@bp.route("/account/two-factor/qr.svg")
@login_required
def two_factor_qr() -> Response:
    """The QR code of an unfinished enrolment; gone once it is confirmed."""
    factor = totp.factor_of(current_user)
    if factor is None or factor.confirmed_at is not None:
        abort(404)
    svg = totp.qr_svg(totp.provisioning_uri(current_user, factor))
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/account/two-factor/confirm", methods=["POST"])
@login_required
@sessions.require_recent_auth
def two_factor_confirm() -> str | Response | tuple[str, int]:
    form = EnrolForm()
    factor = totp.factor_of(current_user)
    if factor is None or factor.confirmed_at is not None:
        return redirect(url_for("auth.two_factor"))
    if form.validate_on_submit():
        codes = totp.confirm(current_user, form.code.data)
        if codes is not None:
            sessions.mark_authenticated()
            db.session.commit()
            notices.send_notice(current_user, "two_factor_on")
            flash(_("Two-step login is on."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
        db.session.rollback()
        form.code.errors.append(_("This code is not valid. Check the time on your phone and try the next one."))
    return render_template(
        "auth/two_factor.html", factor=factor, required=totp.is_required(current_user),
        remaining=0, form=ActionForm(), enrol_form=form,
    ), 422


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@sessions.require_recent_auth
def recovery_codes() -> str | Response:
    if not ActionForm().validate_on_submit() or not totp.is_enrolled(current_user):
        return redirect(url_for("auth.two_factor"))
    codes = totp.new_recovery_codes(current_user)
    db.session.commit()
    notices.send_notice(current_user, "recovery_codes")
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-factor/remove", methods=["POST"])
@login_required
@sessions.require_recent_auth
def two_factor_remove() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    if totp.is_required(current_user):
        flash(_("Your roles require two-step login; it cannot be switched off."), "warning")
        return redirect(url_for("auth.two_factor"))
    totp.remove(current_user, actor=current_user)
    db.session.commit()
    notices.send_notice(current_user, "two_factor_off")
    flash(_("Two-step login is off."), "info")
    return redirect(url_for("auth.two_factor"))


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["POST"])
@roles_required("admin")
@sessions.require_recent_auth
def admin_reset_two_factor(user_id: int) -> Response:
    """A lost phone: the administrator removes a user's second factor; their sessions end."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    totp.remove(user, actor=current_user)
    services.end_other_sessions(user)
    sessions.end_all(user)
    db.session.commit()
    notices.send_notice(user, "two_factor_off")
    flash(_("Two-step login removed; the user sets it up again at the next login."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
