import pytest

from tests.factories import make_org


@pytest.fixture
def org_tree(db):
    """A container with two children, one grandchild, a portal, and a second container."""
    acme = make_org("Acme")
    sales = make_org("Acme Sales", parent=acme)
    sales_east = make_org("Acme Sales East", parent=sales)
    support = make_org("Acme Support", parent=acme)
    portal = make_org("Acme Academy", parent=acme, org_type="portal")
    globex = make_org("Globex")
    return {
        "acme": acme,
        "sales": sales,
        "sales_east": sales_east,
        "support": support,
        "portal": portal,
        "globex": globex,
    }
