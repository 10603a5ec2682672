# quotebot: the Discord bot by default; `docker run -it IMAGE console` for the console.
# The Discord token is passed at run time (-e QUOTEBOT_DISCORD_TOKEN), never built in.
# .ci/run repeats the install, index and health steps below outside Docker.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Dependencies first, from pyproject.toml alone, so editing the source reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install --no-cache-dir -r requirements.txt
COPY README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
RUN pip install --no-cache-dir --no-deps .

FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    QUOTEBOT_CONFIG=/app/config/quotebot.toml \
    QUOTEBOT_CORPUS=/data/corpus \
    QUOTEBOT_CACHE_DIR=/data/cache
RUN useradd --system --uid 10001 --create-home --home-dir /home/quotebot quotebot \
    && mkdir -p /data/corpus /data/cache \
    && chown quotebot:quotebot /data/corpus /data/cache
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY config ./config
COPY --chown=quotebot:quotebot seeds /data/corpus
USER 10001:10001
# The bundled seeds' index is built now, so the first start loads it from the cache.
RUN quotebot index && quotebot health
VOLUME ["/data/corpus", "/data/cache"]
HEALTHCHECK --interval=60s --timeout=15s --start-period=30s --retries=3 CMD ["quotebot", "health"]
ENTRYPOINT ["quotebot"]
CMD ["discord"]
