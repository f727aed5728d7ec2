from django.contrib.auth import views as auth_views

from coopsupport.forms import LockoutAuthenticationForm


class SignInView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
