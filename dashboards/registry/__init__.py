"""Every listing of the dashboards, declared once (listings.py); dashboards/urls.py lists
their routes from here."""

from dashboards.registry.listings import LISTINGS

__all__ = ["LISTINGS"]
