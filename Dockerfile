# A small, non-root image of shopping-api. Build: docker build -t shopping-api .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /app shopping
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY migrations ./migrations
ENV SHOPPING_MIGRATIONS_DIR=/app/migrations \
    PYTHONUNBUFFERED=1
USER shopping
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=2)"
CMD ["shopping-api", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
