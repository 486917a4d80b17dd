# Stand-in for redis:7-bookworm on machines that cannot pull it: Debian's
# Redis 7, listening on every interface of the container, port 6379.
ARG DEBIAN_IMAGE=localhost/ngip-debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "60", "1", "--dir", "/data"]
