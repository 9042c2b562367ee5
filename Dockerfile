# Production image: compiled JavaScript on the current Node LTS (no TypeScript loader at run time).
#   docker build -t poc-directory .
# Stage 1 compiles src/ and migrations/ to dist/ (npm run build); stage 2 has the
# production dependencies and dist/ only.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src/ ./src/
COPY migrations/ ./migrations/
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/ ./dist/
COPY openapi.yaml ./

# Writable data directory for the non-root user; the code stays root-owned (read-only to node).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

# One process, PID 1, receives SIGTERM directly. Migrations: node dist/src/cli/migrate.js
CMD ["node", "dist/src/main.js"]
