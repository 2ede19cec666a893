# A small, non-root image of shopping-api. Build: docker build -t shopping-api .
# Run: docker run -p 8000:8000 -v shopping-data:/data shopping-api
#   (embedded SQLite in /data; for Postgres set SHOPPING_DATABASE_URL and SHOPPING_JWT_SECRET)
#
# The base image is pinned to an exact Python release; bump it on purpose, like a dependency
# (docs/dependencies.md). Appending the image's digest (`@sha256:…`) pins it byte for byte.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Only this project's own wheel: its dependencies come from the lock file below.
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# The exact versions the tests ran on, checked against their hashes.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/*.whl && rm -rf /wheels

# A non-root user, and a data directory it owns for the embedded SQLite default (the database
# and its generated JWT secret live there). Mount a volume on /data to keep them.
RUN useradd --system --uid 10001 --home-dir /app shopping \
    && mkdir -p /data \
    && chown shopping:shopping /data \
    && chmod 0700 /data
WORKDIR /app
COPY migrations ./migrations
ENV SHOPPING_MIGRATIONS_DIR=/app/migrations \
    SHOPPING_DATABASE_URL=sqlite+aiosqlite:////data/shopping.db
VOLUME ["/data"]
USER shopping
EXPOSE 8000
# For the API (the default command). Containers running `worker` or `migrate` serve no HTTP:
# they turn this off (docker-compose.yml: `healthcheck: disable: true`).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=2)"]
CMD ["shopping-api", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
