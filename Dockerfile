# One image for the five services; the command picks the service:
#   docker run … node dist/apps/metrics/src/main.js
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json tsconfig.json nx.json ./
COPY scripts/build.mjs scripts/build.mjs
COPY bench bench
RUN node scripts/build.mjs && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production TZ=UTC
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY nx.json ./
COPY data data
COPY layouts layouts
COPY rules rules
# The image's files are root's and read-only to the services. The ingestor writes uploads under
# INGEST_ROOT/uploads: compose points INGEST_ROOT at data/, so that folder is the node user's.
# (Kubernetes mounts a volume as INGEST_ROOT instead.)
RUN mkdir data/uploads && chown node:node data/uploads
USER node
# Readiness of whichever service the command runs, on the port it sets in PORT (the image has node,
# not curl). Compose and Kubernetes declare their own probes; this serves a plain `docker run`.
# A one-shot CLI (the demo loader) has no port: its container's health is its exit code.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
