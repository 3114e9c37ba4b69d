"""Schema pieces shared by the endpoints: error bodies of both families, the X-Pagination
header, path ids. The parameter ranges here mirror the validation in dashboards/filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from dashboards.filters.params import MAX_LIST_ITEMS, MAX_PARAMETER_LENGTH
from dashboards.models.ids import MAX_ID

# since/until: the Unix seconds of 0001-01-01 and 9999-12-31T23:59:59 (datetime's range).
MIN_UNIX_TIME, MAX_UNIX_TIME = -62135596800, 253402300799

COURSE_ERROR = {
    "type": "object",
    "description": '`{"detail": "…"}`; a 400 for bad parameters names each one: '
    '`{"statuses": ["…"]}`.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ORG_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "integer"}, "message": {"type": "string"}},
    "required": ["error", "message"],
    "additionalProperties": False,
}


def error_responses(schema, statuses=(400, 401, 403, 404, 405, 500)):
    descriptions = {
        400: "Bad path id or query parameter",
        401: "No credentials, or a refused key",
        403: "The caller may not see this",
        404: "Not found",
        405: "Only GET and HEAD",
        500: "Internal error (no traceback)",
    }
    return {
        status: OpenApiResponse(response=schema, description=descriptions[status])
        for status in statuses
    }


COURSE_ERRORS = error_responses(COURSE_ERROR)
ORG_ERRORS = error_responses(ORG_ERROR)

PAGINATION_HEADER = OpenApiParameter(
    "X-Pagination",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    required=True,
    description='JSON: `{"count", "page", "pageCount", "perPage"}`',
)


def path_id(name, description):
    """A numeric path id (anything else is the family's 400 or 404)."""
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        location=OpenApiParameter.PATH,
        description=description,
    )


def list_parameter(name, choices, description):
    """A comma-separated list of names (repeating the parameter works too)."""
    return OpenApiParameter(
        name,
        {
            "type": "array",
            "items": {"type": "string", "enum": choices},
            "maxItems": MAX_LIST_ITEMS,
        },
        explode=False,
        description=description,
    )


def text_parameter(name, description):
    return OpenApiParameter(
        name, {"type": "string", "maxLength": MAX_PARAMETER_LENGTH}, description=description
    )


def org_paths_as_documented(result, generator, request, public):
    """Postprocessing hook: the org family's paths without the optional trailing slash, as
    org-dashboard-api.md writes them; the schema's own endpoint left out."""
    result["paths"] = {
        (path.rstrip("/") if path.startswith(("/vfo/", "/orgs/")) else path): operations
        for path, operations in result["paths"].items()
        if path != "/api/schema/"
    }
    return result
