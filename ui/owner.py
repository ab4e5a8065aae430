"""Who the pages act for: the registered user when logged in, otherwise the guest known by the browser id."""

from __future__ import annotations

from nicegui import app, context, run, ui

from services.accounts.interface import SESSION_OVER
from services.container import Services
from services.diagnosis.offline import OFFLINE_MODEL
from services.identity import Caller
from services.store import quota
from services.store.database import DatabaseUnavailable
from services.store.quota import Limits
from ui.session import login_url, request_address, verified_identity


async def current_owner(services: Services) -> Caller:
    try:
        identity = await verified_identity(services)
    except DatabaseUnavailable:
        identity = None  # acts as the guest it was; the page's other calls say what is wrong
    address = request_address(context.client.request)
    if identity is not None:
        return Caller(user_id=identity.user_id, address=address)
    return Caller(guest_id=app.storage.browser['id'], address=address)


async def still_acting_for(services: Services, owner: Caller) -> bool:
    """Whether a page event may still act for the owner its page was built for. A sign-in that ended since (account
    deleted, logged out everywhere or in another tab) stops at its next click, not only at its next page load."""
    if owner.user_id is None:
        return True  # a guest page acts for its own browser id, which nobody else holds
    try:
        identity = await verified_identity(services)
    except DatabaseUnavailable:
        return True  # the action's own database call tells the person what is wrong
    if identity is not None and identity.user_id == owner.user_id:
        return True
    ui.notify(SESSION_OVER, type='warning')
    request = context.client.request
    ui.navigate.to(login_url(request.url.path if request else '/'))
    return False


def limits_for(services: Services) -> Limits:
    return Limits.from_settings(services.settings)


async def quota_text(services: Services, owner: Caller) -> str:
    """What the person has left, in words: only diagnoses by a model are counted."""
    if services.analyzer.model == OFFLINE_MODEL:
        return 'Offline diagnoses are free and unlimited'
    limits = limits_for(services)
    try:
        left = await run.io_bound(quota.remaining, services.database, caller=owner, limits=limits)
    except DatabaseUnavailable as exc:
        return str(exc)
    if left is None:
        return 'Unlimited diagnoses'
    if owner.user_id is None:
        return f'{left} of {limits.guest_free} free diagnoses by the AI model left; offline answers are unlimited'
    return f'{left} diagnoses by the AI model left today'
