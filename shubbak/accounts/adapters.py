from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by organisation admins, never by public sign-up."""

    def is_open_for_signup(self, request):
        return False
