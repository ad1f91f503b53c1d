"""Moved to casebook.policy, the one module for every access decision. These names stay importable only
until the branches written against the old module have rebased; import `casebook.policy` instead."""

from casebook.policy import (  # noqa: F401
    EDIT_ROLES,
    TEAM_ROLES,
    can_create_in_team,
    can_edit,
    can_view,
    invitation_current,
    invitation_current_sql,
    invited_case_ids,
    through_team,
    visible_filter,
)
