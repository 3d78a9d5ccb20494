"""The second factor: a TOTP authenticator app and single-use recovery codes (django-otp's devices).

Who must have one (``devices.must_have``): organisation 管理者 and 職員 and the site's
administrators, when ``OTP_REQUIRED_FOR_STAFF`` is on; the admin site asks for one always
(``bansou.accounts.admin_site``). A person who has one is asked its code after the password, before
the login is done (``views.login_code``); a person who must have one and has none is taken to
enrolment before any other page (``gate``). Every code is checked like a password, through
``authenticate`` (``backend.CodeBackend``), so a wrong one counts towards the same django-axes
lockout as a wrong password, and a locked-out person's right code is refused too.
"""
