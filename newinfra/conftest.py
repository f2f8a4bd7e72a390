"""Test set-up shared by every test directory: settings for a throwaway var/ and the demo data."""

import io

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Both Guangzhou plans, the organisations and one user per role, loaded once."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
