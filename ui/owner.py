"""Who the pages act for: the registered user when logged in, otherwise the guest known by the browser id."""

from __future__ import annotations

from nicegui import app, context, run, ui

from services import quota
from services.accounts import SESSION_OVER
from services.analyses import Owner
from services.container import Services
from services.db import DatabaseUnavailable
from services.diagnosis import OFFLINE_MODEL
from services.quota import Limits, Requester
from ui.session import login_url, request_address, verified_identity


async def current_owner(services: Services) -> Owner:
    try:
        identity = await verified_identity(services)
    except DatabaseUnavailable:
        identity = None  # acts as the guest it was; the page's other calls say what is wrong
    if identity is not None:
        return Owner(user_id=identity.user_id)
    return Owner(guest_id=app.storage.browser['id'])


async def still_acting_for(services: Services, owner: Owner) -> bool:
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


def requester_for(owner: Owner) -> Requester:
    address = request_address(context.client.request)
    return Requester(user_id=owner.user_id, guest_id=owner.guest_id, address=address)


def limits_for(services: Services) -> Limits:
    return Limits.from_settings(services.settings)


async def quota_text(services: Services, owner: Owner) -> str:
    """What the person has left, in words: only diagnoses by a model are counted."""
    if services.analyzer.model == OFFLINE_MODEL:
        return 'Offline diagnoses are free and unlimited'
    limits = limits_for(services)
    try:
        left = await run.io_bound(quota.remaining, services.database, requester=requester_for(owner),
                                  limits=limits)
    except DatabaseUnavailable as exc:
        return str(exc)
    if left is None:
        return 'Unlimited diagnoses'
    if owner.user_id is None:
        return f'{left} of {limits.guest_free} free diagnoses by the AI model left; offline answers are unlimited'
    return f'{left} diagnoses by the AI model left today'
