# quotebot: the Discord bot by default; `docker run -it IMAGE console` for the console.
# The Discord token is passed at run time (-e QUOTEBOT_DISCORD_TOKEN), never built in.
# scripts/image-test builds this file and runs the image; CI calls it (README, "Docker").

FROM docker.io/library/python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Dependencies first, from pyproject.toml alone, so editing the source reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install --no-cache-dir -r requirements.txt
# setup.py stays out: it only copies the seeds into the wheel, and the image keeps them in
# /data/corpus.
COPY README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
# The runtime needs neither pip nor setuptools nor the packages' own test suites. The bytecode
# pip compiled stays: the unprivileged user cannot write it, and each start would compile again.
RUN pip install --no-cache-dir --no-deps . \
    && python -m pip uninstall --yes --quiet pip setuptools \
    && find /opt/venv -depth -type d -name tests -exec rm -rf {} +

FROM docker.io/library/python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    QUOTEBOT_CONFIG=/app/config/quotebot.toml \
    QUOTEBOT_CORPUS=/data/corpus \
    QUOTEBOT_CACHE_DIR=/data/cache
# The group gets GID 10001 first, so USER 10001:10001 runs as quotebot:quotebot.
RUN groupadd --system --gid 10001 quotebot \
    && useradd --system --uid 10001 --gid quotebot --create-home --home-dir /home/quotebot quotebot \
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
