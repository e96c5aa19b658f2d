"""The referral network's pages, in three parts: referrals and the partner portal, the directory of partners'
offers with matching and the questionnaire, and the expert roster with assignments."""

from .directory_urls import urlpatterns as directory
from .expert_urls import urlpatterns as experts
from .referral_urls import urlpatterns as referrals

urlpatterns = [*referrals, *directory, *experts]
