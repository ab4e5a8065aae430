import pytest
from nicegui import ui
from nicegui.testing import User


async def test_faq_explains_what_is_sent_and_the_quota(user: User) -> None:
    await user.open('/faq')
    await user.should_see('What is sent to the AI model?')
    await user.should_see('built-in offline analyzer')
    await user.should_see('3 per browser, and at most 10 a day')


@pytest.fixture
def gemini_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('GEMINI_API_KEY', 'test-key')


async def test_faq_names_the_model_when_a_key_is_set(gemini_key: None, user: User) -> None:
    await user.open('/faq')
    await user.should_see('Google Gemini (`gemini-2.5-flash`)')


@pytest.mark.parametrize('heading', ['Privacy', 'Terms of use'])
async def test_legal_pages_are_linked_from_the_footer(user: User, heading: str) -> None:
    await user.open('/')
    user.find(kind=ui.link, content=heading.split()[0]).click()
    await user.should_see(heading)


async def test_theme_toggle_switches_and_is_remembered(user: User) -> None:
    await user.open('/faq')
    user.find(kind=ui.button, marker='theme-toggle').click()
    assert user.find(ui.dark_mode).elements.pop().value is True
    await user.open('/')
    assert user.find(ui.dark_mode).elements.pop().value is True
    button = user.find(kind=ui.button, marker='theme-toggle').elements.pop()
    assert button.props['aria-label'] == 'Switch to light theme'
