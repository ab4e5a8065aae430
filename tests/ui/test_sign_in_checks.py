"""A sign-in that stops holding (revoked in Firebase, account gone) logs the page out at its next load."""

from __future__ import annotations

import time

import firebase_admin
import pytest
from firebase_admin import auth
from nicegui.testing import User
from sqlalchemy import delete

from services.config import Settings
from services.store.database import open_database
from services.store.tables import User as UserRow
from tests.firebase_emulator import Emulator
from tests.ui.test_account_pages import WAIT, register, sees_a_guest_page
from ui import session


async def test_revoked_firebase_sign_in_logs_the_page_out(firebase_env: Emulator, user: User,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, 'RECHECK_SECONDS', 0)  # revocation is asked of Firebase once a minute
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    await user.open('/account')
    await user.should_see('Your account', retries=WAIT)
    admin = firebase_admin.initialize_app(options={'projectId': firebase_env.project_id}, name=f'test-{time.time()}')
    try:
        time.sleep(1.1)  # revocation counts whole seconds
        uid = auth.get_user_by_email('ada@example.com', app=admin).uid
        auth.revoke_refresh_tokens(uid, app=admin)
    finally:
        firebase_admin.delete_app(admin)
    await user.open('/account')
    await user.should_see('Log in to LogSentry', retries=WAIT)
    await user.open('/')
    await sees_a_guest_page(user)


async def test_deleted_local_account_logs_the_page_out_at_its_next_load(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    database = open_database(Settings().database_location)  # the app's own SQLite file in this test's DATA_DIR
    with database.write() as rows:
        rows.execute(delete(UserRow))
    database.dispose()
    await user.open('/')
    await sees_a_guest_page(user)
    await user.open('/account')
    await user.should_see('Log in to LogSentry', retries=WAIT)
