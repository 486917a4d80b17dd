# Stand-in for node:24-bookworm-slim on machines that cannot pull it: the
# locally made Debian bookworm plus this machine's Node 24 binary (from the
# `node` npm package) and npm. Built by `pnpm pipeline docker-build`; the
# context holds node, npm/ and this file.
ARG DEBIAN_IMAGE=localhost/ngip-debian:bookworm
FROM ${DEBIAN_IMAGE}
COPY node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
CMD ["node"]
