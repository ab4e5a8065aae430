"""Who the pages act for: the registered user when logged in, otherwise the guest known by the browser id."""

from __future__ import annotations

from nicegui import app, context, run

from services import quota
from services.accounts import AccountError
from services.analyses import Owner
from services.container import Services
from services.db import DatabaseUnavailable
from services.quota import Limits, Requester
from ui.session import current_identity, request_address


async def current_owner(services: Services) -> Owner:
    identity = current_identity()
    if identity is not None:
        try:
            user_id = await run.io_bound(services.accounts.user_id, identity)
        except (AccountError, DatabaseUnavailable):
            user_id = None  # acts as the guest it was; the page's other calls say what is wrong
        if user_id is not None:
            return Owner(user_id=user_id)
    return Owner(guest_id=app.storage.browser['id'])


def requester_for(owner: Owner) -> Requester:
    address = request_address(context.client.request)
    return Requester(user_id=owner.user_id, guest_id=owner.guest_id, address=address)


def limits_for(services: Services) -> Limits:
    return Limits.from_settings(services.settings)


async def quota_text(services: Services, owner: Owner) -> str:
    """What the person has left, in words."""
    limits = limits_for(services)
    try:
        left = await run.io_bound(quota.remaining, services.database, requester=requester_for(owner),
                                  limits=limits)
    except DatabaseUnavailable as exc:
        return str(exc)
    if left is None:
        return 'Unlimited diagnoses'
    if owner.user_id is None:
        return f'{left} of {limits.guest_free} free analyses left'
    return f'{left} diagnoses left today'
