"""The domain: users, org trees and roles, courses shared with orgs, course members,
credentials, and the org roster derived from them (one module per concern)."""

from dashboards.models.courses import Course, CourseMember, CourseShare
from dashboards.models.credentials import SESSION_IDLE_LIFETIME, Credential
from dashboards.models.fields import CodePointTextField
from dashboards.models.org_roster import OrgMember, OrgMemberTally, RosterPause
from dashboards.models.orgs import Org, OrgRole
from dashboards.models.saved_views import SavedView
from dashboards.models.users import User, UserManager, real_name_expression

__all__ = [
    "SESSION_IDLE_LIFETIME",
    "CodePointTextField",
    "Course",
    "CourseMember",
    "CourseShare",
    "Credential",
    "Org",
    "OrgMember",
    "OrgMemberTally",
    "OrgRole",
    "RosterPause",
    "SavedView",
    "User",
    "UserManager",
    "real_name_expression",
]
