"""The listing pipeline: a declaration (declaration.py) finds its subject with the viewer's
rights (subjects.py), scopes, filters with its FilterSet, orders, windows (windows.py, pager.py)
and narrows to a selection (selection.py); `Listing` (listing.py) runs it. The dashboards'
listings are declared in dashboards/registry/. No DRF and no database driver here: the API's
bodies and the exports' rows are theirs (dashboards/api/, dashboards/exports/)."""

from dashboards.listings.listing import Listing
from dashboards.listings.windows import OffsetWindow, PageWindow

__all__ = ["Listing", "OffsetWindow", "PageWindow"]
