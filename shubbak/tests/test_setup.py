"""The demo data and the production profile, as `make run` and CI use them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from shubbak.accounts.models import User
from shubbak.audit.models import AuditEntry
from shubbak.organisations.models import Desk, Membership, Network, Organisation
from shubbak.organisations.permissions import access_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_demo_data_loads_once_and_again_changes_nothing(capsys):
    call_command("load_demo")
    counts = [m.objects.count() for m in (Network, Organisation, Desk, User, Membership, AuditEntry)]
    call_command("load_demo")
    assert [m.objects.count() for m in (Network, Organisation, Desk, User, Membership, AuditEntry)] == counts
    assert counts[:2] == [5, 25]
    assert set(Membership.objects.values_list("role", flat=True)) == set(Membership.Role.values)
    assert "shubbak-demo-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_network_manager_sees_the_whole_helpdesk_network_only():
    call_command("load_demo")
    manager = User.objects.get(email="rana.abdelrahim@munshati.example")
    visible = set(Organisation.objects.filter(id__in=access_for(manager).organisation_ids()).values_list("slug", flat=True))
    assert visible == set(Organisation.objects.filter(network__slug="munshati").values_list("slug", flat=True))
    assert {"nablus-chamber", "hebron-chamber", "bethlehem-chamber", "jericho-chamber", "middle-area-chamber"} <= visible


def test_the_production_profile_passes_the_deployment_checks():
    env = {
        **os.environ,
        "SHUBBAK_PROFILE": "production",
        "SECRET_KEY": "x" * 20 + "a-real-deployment-sets-its-own-long-random-secret",
        "ALLOWED_HOSTS": "shubbak.example.org",
    }
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "JOBS", "DJANGO_SETTINGS_MODULE"):  # set for tests in this process; never in production
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_redis_url_the_cache_and_the_job_queue_use_redis():
    """Scale-out is configuration: REDIS_URL switches the cache to Redis and jobs to a Redis queue for run_huey workers."""
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    script = (
        "from django.core.cache import cache; from huey.contrib.djhuey import HUEY;"
        "from shubbak.organisations.tasks import send_welcome_email;"
        "HUEY.flush(); cache.set('shubbak-probe', 'ok', 5);"
        "send_welcome_email(1, 1);"  # queued for a worker, not run here
        "print(type(HUEY).__name__, cache.get('shubbak-probe'), HUEY.pending_count()); HUEY.flush()"
    )
    env = {**os.environ, "REDIS_URL": url}
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "JOBS", "DJANGO_SETTINGS_MODULE"):  # as in production, not as in tests
        env.pop(name, None)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["RedisHuey", "ok", "1"]
