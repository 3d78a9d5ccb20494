from django.contrib.auth import views as auth_views
from django.urls import path

from bansou.accounts import views
from bansou.accounts.second_factor import views as second_factor

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("second-factor/", second_factor.overview, name="second_factor"),
    path("second-factor/add/", second_factor.add, name="second_factor_add"),
    path("second-factor/recovery-codes/", second_factor.recovery_codes, name="recovery_codes"),
    path("second-factor/remove/", second_factor.remove, name="second_factor_remove"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logged-out/", views.logged_out, name="logged_out"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("my-data/", views.my_data, name="my_data"),
    path("me.json", views.my_json, name="my_json"),
    path("me.xlsx", views.my_xlsx, name="my_xlsx"),
    path("delete/", views.delete, name="delete"),
    path("visitor-work/", views.visitor_work, name="visitor_work"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html", success_url="/accounts/reset/done/"
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
