"""What used to be inline event handlers (forbidden by the Content-Security-Policy) still works, from
static/js/casebook.js: the bottleneck filters submit on change, and deleting a case asks first."""

import pytest

from casebook.accounts.models import Role
from utils.browser import log_in
from utils.factories import make_case, make_user

pytestmark = pytest.mark.e2e


def test_deleting_a_case_asks_first_and_a_bottleneck_filter_applies_on_change(page, server, server_db):
    coach = make_user(server_db, "coach")
    make_user(server_db, "manager", Role.manager)
    case = make_case(
        server_db, coach, bottlenecks=[{"law": "Wmo 2015", "rule": "handtekening", "kind": "mandaat"}]
    )
    log_in(page, server, "coach")

    page.goto(f"{server}/cases/{case.id}/edit")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button.danger")
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/cases/{case.id}/edit")  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.danger")
    page.wait_for_url(f"{server}/cases")

    page.goto(f"{server}/knelpunten")
    page.select_option("select[name=kind]", "mandaat")
    page.wait_for_url("**/knelpunten?kind=mandaat*")
