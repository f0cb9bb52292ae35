# The bot as a service: compiled JavaScript on Node 20, production dependencies only, as a non-root user.
# `docker compose up` (compose.yaml) runs it beside PostgreSQL; see README, "Deploying".

# --- build: the full install (TypeScript) compiles src/ to dist/ ------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-build-assets.mjs ./scripts/
COPY src ./src
RUN npm run build

# --- run: production dependencies and dist/ only -----------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CONSOLE=off \
    PORT=3000 \
    DATA_DIR=/app/.data \
    OUT_DIR=/app/out
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
RUN mkdir -p .data out && chown node:node .data out && ln -s /app/bin/mkt.js /usr/local/bin/mkt
USER node
# PORT: Slack's HTTP receiver and /healthz, /readyz, /metrics; PORT+1: Teams; PORT+2: webhooks.
EXPOSE 3000 3001 3002
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
