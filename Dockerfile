# Euroffshore web application: migrates the database, then serves with several workers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    EUROFFSHORE_ENV=production \
    EUROFFSHORE_DATABASE_URL=sqlite:////data/euroffshore.db \
    WORKERS=2

WORKDIR /srv/euroffshore

RUN useradd --create-home --uid 10001 euroffshore \
    && mkdir /data && chown euroffshore /data

# Dependencies first, in their own cached layer: only pyproject.toml invalidates it.
COPY pyproject.toml README.md ./
RUN mkdir app && touch app/__init__.py \
    && pip install . \
    && pip uninstall -y euroffshore \
    && rm -rf app build ./*.egg-info

COPY alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
RUN pip install --no-deps -e . && euroffshore i18n compile && python -c "from app.scheduling.walk_jit import warm; warm()"

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["sh", "-c", "euroffshore migrate && exec euroffshore serve --host 0.0.0.0 --port 8000 --workers \"$WORKERS\""]
