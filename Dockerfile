# syntax=docker/dockerfile:1
# ashby-kafka as a container: `docker run --rm -v $PWD/config:/config ashby-kafka source --config /config/pipeline.yaml`
#
# Stage 1 compiles node-rdkafka (its bundled librdkafka, with TLS, zlib, zstd and SASL) and the
# TypeScript; stage 2 carries only the runtime libraries, the compiled output and production
# node_modules, and runs as a non-root user.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl-dev zlib1g-dev libzstd-dev libsasl2-dev python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Build node-rdkafka against the image's own Node headers, never a download. Do not set JOBS=max:
# a parallel build of the bundled librdkafka fails.
ENV npm_config_nodedir=/usr/local
# The sources come before `npm ci`: its `prepare` script compiles them into dist/.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY tools ./tools
COPY ui ./ui
COPY schemas ./schemas
# The console's build takes its "what to do" help from the troubleshooting page.
COPY docs/troubleshooting.md ./docs/troubleshooting.md
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# Shared libraries the compiled librdkafka links against. libcurl: the node image's build stage
# has libcurl's headers, and librdkafka's configure links it when it finds it (OIDC support).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 zlib1g libzstd1 libsasl2-2 libcurl4 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# A 32 MB young generation (node's default is 16 MB per semi-space). When the source parsed every
# record, a busy worker promoted about 3 MB to V8's old generation at every young collection, and
# this cut the CPU per record of a 50-tenant worker by about a tenth. Most records are no longer
# parsed, and the difference is now within the noise, for about 25 MB more memory (docs/serve.md,
# Memory). Setting NODE_OPTIONS replaces this value.
ENV NODE_OPTIONS=--max-semi-space-size=32
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY config ./config
# Fail the build, not the first run, if a library the native module needs is missing.
RUN ! ldd node_modules/node-rdkafka/build/Release/*.node node_modules/node-rdkafka/build/deps/*.so* 2>/dev/null | grep 'not found' \
 && node -e "require('node-rdkafka')" \
 && ln -s /app/bin/ashby-kafka.js /usr/local/bin/ashby-kafka \
 && useradd --system --uid 10001 --home-dir /home/ashby --create-home ashby
USER ashby
# The credential store lives here (mount a volume to keep it); keys can also come from ASHBY_API_KEY.
ENV XDG_CONFIG_HOME=/home/ashby/.config
# `serve` (docs/serve.md) listens here: REST API, /metrics, /healthz, /readyz (set worker.rest.host: 0.0.0.0).
EXPOSE 8083
ENTRYPOINT ["ashby-kafka"]
CMD ["--help"]
