"""The interactive API reference, served by the app itself: Swagger UI at `/docs`, ReDoc at
`/redoc`, and `/` leading to `/docs`.

Their scripts and stylesheet come from the `fastapi-offline` package, so the pages work on a
machine without internet access and never load anything from a CDN. The asset URLs carry the
package's version, so browsers may keep them for good and still fetch new ones after an upgrade.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from importlib.resources import files

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import HTMLResponse, RedirectResponse, Response

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
ASSETS_PATH = f"/docs/assets/{version('fastapi-offline')}"
#: the files served from `fastapi_offline/static`, with their content types
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
#: Swagger UI keeps the token entered under "Authorize" across page reloads, and asks no
#: online validator about the document
SWAGGER_UI_PARAMETERS = {"persistAuthorization": True, "validatorUrl": None}
#: the pages may load from this server only (ReDoc builds its search worker from a blob)
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home(request: Request) -> RedirectResponse:
    return RedirectResponse(f"{_root(request)}{DOCS_PATH}")


@router.get(DOCS_PATH)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} – Swagger UI",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        oauth2_redirect_url=None,  # no OAuth2 flow in the browser: tokens are pasted in
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
    )
    page.headers.update(PAGE_HEADERS)
    return page


@router.get(REDOC_PATH)
async def redoc(request: Request) -> HTMLResponse:
    root = _root(request)
    page = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} – ReDoc",
        redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        with_google_fonts=False,
    )
    page.headers.update(PAGE_HEADERS)
    return page


@router.get(f"{ASSETS_PATH}/{{name}}")
async def asset(name: str) -> Response:
    media_type = ASSET_TYPES.get(name)
    if media_type is None:
        raise HTTPException(status_code=404)
    return Response(
        _asset(name),
        media_type=media_type,
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


@cache
def _asset(name: str) -> bytes:
    return files("fastapi_offline").joinpath("static", name).read_bytes()


def _root(request: Request) -> str:
    """The prefix a reverse proxy serves the app under (`--root-path`), or ''."""
    root: str = request.scope.get("root_path", "")
    return root
