"""Steps a person takes in the browser, shared by the browser tests."""

from utils.factories import PASSWORD


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base_url}/cases")
