#!/usr/bin/env bash
# ngip build host bootstrap: turns a fresh Debian 12 into a host that runs
# `pnpm pipeline all` for each push and parks itself when idle. Run as root;
# idempotent (run it again after a failure, or to bring the checkout and the
# units up to date). The build host's user data embeds this file. Inputs:
#   NGIP_REPO_URL             the repository to clone and watch (required)
#   NGIP_REPO_CREDENTIAL      none (default) | secretsmanager:<secret id> | file:<path>;
#                             a deploy key (PEM) for ssh URLs, or a token for https URLs
#   NGIP_PNPM_VERSION         default: the packageManager pin of the clone
#   NGIP_CHECKOUT             default /opt/ngip
#   NGIP_PIPELINE_STATE_DIR   default /var/lib/ngip-pipeline
#   NGIP_ENV_FILE             the units' environment, default /etc/ngip/pipeline.env
#   NGIP_START                systemd | enable | direct | none; default systemd when it runs,
#                             else direct (a container: services and agent in the background);
#                             enable: units enabled, started at the next boot
#   NGIP_SERVICES             system services to start ("" for none), default "docker postgresql redis-server"
#   NGIP_OPERATORS            users put in the ngip group (created when missing)
#   NGIP_SSM_AGENT_URL        the AWS SSM agent's .deb, installed when missing (EC2)
# Passed on to the units: BUILD_HOST_GROUP AWS_REGION IDLE_MINUTES NGIP_AGENT_COMMAND
# NGIP_AGENT_INTERVAL NGIP_PIPELINE_PING_URL NODE_EXTRA_CA_CERTS.
# `bootstrap.sh packages` prints the Debian packages it installs.
set -euo pipefail

PACKAGES="ca-certificates curl git openssh-client procps docker.io docker-registry apache2-utils
debootstrap postgresql redis-server chromium nodejs npm"
PASSED_ON="BUILD_HOST_GROUP AWS_REGION IDLE_MINUTES NGIP_AGENT_COMMAND NGIP_AGENT_INTERVAL
NGIP_PIPELINE_PING_URL NODE_EXTRA_CA_CERTS"
if [ "${1:-}" = packages ]; then
  # shellcheck disable=SC2086 # one line, words split on purpose
  echo $PACKAGES
  exit 0
fi

say() { printf 'bootstrap: %s\n' "$*"; }
fail() {
  say "$*" >&2
  exit 1
}

: "${NGIP_REPO_URL:?NGIP_REPO_URL is required: the repository to clone}"
CREDENTIAL=${NGIP_REPO_CREDENTIAL:-none}
CHECKOUT=${NGIP_CHECKOUT:-/opt/ngip}
STATE=${NGIP_PIPELINE_STATE_DIR:-/var/lib/ngip-pipeline}
ENV_FILE=${NGIP_ENV_FILE:-/etc/ngip/pipeline.env}
SERVICES=${NGIP_SERVICES-docker postgresql redis-server}
START=${NGIP_START:-$([ -d /run/systemd/system ] && echo systemd || echo direct)}
USER_NAME=ngip
export DEBIAN_FRONTEND=noninteractive

as_user() { runuser -u "$USER_NAME" -- env HOME="$USER_HOME" "$@"; }

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

packages() {
  local missing=() pkg
  for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all installed"
  else
    say "packages: installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

ssm_agent() {
  [ -n "${NGIP_SSM_AGENT_URL:-}" ] || return 0
  dpkg-query -W amazon-ssm-agent >/dev/null 2>&1 && return 0
  say "installing the AWS SSM agent"
  curl -fsSL -o /tmp/amazon-ssm-agent.deb "$NGIP_SSM_AGENT_URL"
  dpkg -i /tmp/amazon-ssm-agent.deb >/dev/null
  rm -f /tmp/amazon-ssm-agent.deb
}

# The ngip user runs the agent and the pipeline; the state folder is its
# group's, so that any operator in the group shares one activity record.
users() {
  getent group "$USER_NAME" >/dev/null || groupadd --system "$USER_NAME"
  id -u "$USER_NAME" >/dev/null 2>&1 ||
    useradd --create-home --shell /bin/bash --gid "$USER_NAME" "$USER_NAME"
  getent group docker >/dev/null && usermod -aG docker "$USER_NAME"
  local op
  for op in ${NGIP_OPERATORS:-}; do
    id -u "$op" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --no-user-group "$op"
    usermod -aG "$USER_NAME" "$op"
  done
  USER_HOME=$(getent passwd "$USER_NAME" | cut -d: -f6)
  install -d -o root -g "$USER_NAME" -m 2775 "$STATE" "$STATE/running" "$STATE/runs"
  install -d -o "$USER_NAME" -g "$USER_NAME" -m 755 "$CHECKOUT"
}

credential_value() {
  case $CREDENTIAL in
    secretsmanager:*)
      command -v aws >/dev/null || apt_install awscli
      aws secretsmanager get-secret-value --secret-id "${CREDENTIAL#secretsmanager:}" \
        --query SecretString --output text
      ;;
    file:*) cat "${CREDENTIAL#file:}" ;;
    *) fail "NGIP_REPO_CREDENTIAL must be none, secretsmanager:<id> or file:<path>, got $CREDENTIAL" ;;
  esac
}

# A deploy key becomes the ngip user's ssh identity for git; a token its
# git credential for the repository's host. Neither is ever printed.
credential() {
  [ "$CREDENTIAL" = none ] && return 0
  local value host
  value=$(credential_value) || fail "cannot read the deploy credential from $CREDENTIAL"
  if [[ $value == -----BEGIN* ]]; then
    install -d -o "$USER_NAME" -g "$USER_NAME" -m 700 "$USER_HOME/.ssh"
    (umask 077 && printf '%s\n' "$value" >"$USER_HOME/.ssh/ngip_deploy_key")
    chown "$USER_NAME:" "$USER_HOME/.ssh/ngip_deploy_key"
    as_user git config --global core.sshCommand \
      "ssh -i $USER_HOME/.ssh/ngip_deploy_key -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new"
  else
    host=$(printf '%s' "$NGIP_REPO_URL" | sed -E 's#^https://([^/@]+@)?([^/]+)/.*#\2#')
    (umask 077 && printf 'https://x-access-token:%s@%s\n' "$value" "$host" >"$USER_HOME/.git-credentials")
    chown "$USER_NAME:" "$USER_HOME/.git-credentials"
    as_user git config --global credential.helper store
  fi
  say "deploy credential from ${CREDENTIAL%%:*} set up for $USER_NAME"
}

checkout() {
  if [ -d "$CHECKOUT/.git" ]; then
    say "updating $CHECKOUT"
    as_user git -C "$CHECKOUT" pull --quiet --ff-only
  else
    say "cloning $NGIP_REPO_URL into $CHECKOUT"
    as_user git clone --quiet -- "$NGIP_REPO_URL" "$CHECKOUT"
  fi
}

# pnpm at the version the repository pins; Debian's Node only runs npm here,
# the install brings the repository's own Node 24.
dependencies() {
  local version=${NGIP_PNPM_VERSION:-}
  [ -n "$version" ] || version=$(sed -n 's/.*"packageManager": *"pnpm@\([0-9.]*\).*/\1/p' "$CHECKOUT/package.json")
  [ -n "$version" ] || fail "no pnpm version: set NGIP_PNPM_VERSION or pin packageManager in package.json"
  if [ "$(pnpm --version 2>/dev/null)" != "$version" ]; then
    say "installing pnpm $version"
    npm install -g --no-fund --no-audit --loglevel=error "pnpm@$version" >/dev/null
  fi
  say "pnpm install --frozen-lockfile in $CHECKOUT"
  (cd "$CHECKOUT" && as_user CI=true pnpm install --frozen-lockfile --reporter=append-only)
}

environment() {
  local name value
  install -d -m 755 "$(dirname "$ENV_FILE")"
  {
    echo "# Written by the ngip bootstrap; read by ngip-agent.service and ngip-idle-check.service."
    echo "NGIP_AGENT_REPO='$NGIP_REPO_URL'"
    echo "NGIP_PIPELINE_STATE_DIR='$STATE'"
    for name in $PASSED_ON; do
      value=${!name:-}
      [[ $value != *\'* ]] || fail "$name must not contain a single quote"
      [ -z "$value" ] || echo "$name='$value'"
    done
  } >"$ENV_FILE"
}

unit_service() {
  cat <<UNIT
[Unit]
Description=$1
Wants=network-online.target
After=network-online.target docker.service postgresql.service redis-server.service
[Service]
User=$USER_NAME
Group=$USER_NAME
UMask=0002
WorkingDirectory=$CHECKOUT
EnvironmentFile=$ENV_FILE
UNIT
}

units() {
  mkdir -p /etc/systemd/system
  {
    unit_service "ngip build host agent: runs the pipeline for each new commit"
    printf '%s\n' "ExecStart=$CHECKOUT/node_modules/.bin/node pipelines/agent/main.ts" \
      Restart=always RestartSec=10 '[Install]' WantedBy=multi-user.target
  } >/etc/systemd/system/ngip-agent.service
  {
    unit_service "Park the ngip build host when no pipeline ran for a while"
    printf '%s\n' Type=oneshot 'ExecStart=/usr/bin/env pnpm pipeline idle-check'
  } >/etc/systemd/system/ngip-idle-check.service
  printf '%s\n' '[Unit]' 'Description=Run the ngip idle-check every 5 minutes' '[Timer]' \
    OnBootSec=10min OnUnitActiveSec=5min '[Install]' WantedBy=timers.target \
    >/etc/systemd/system/ngip-idle-check.timer
  say "units written: ngip-agent.service, ngip-idle-check.service, ngip-idle-check.timer"
}

# The test suite connects as postgres without a password on 127.0.0.1, as on
# a developer's machine; the host has no inbound rule.
postgres_trust() {
  local hba
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    grep -q '^# ngip build host' "$hba" && continue
    sed -i '1i # ngip build host: the test suite connects as postgres on loopback\nhost all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  done
}

enable_units() {
  systemctl daemon-reload
  # shellcheck disable=SC2086 # a list of unit names
  [ -z "$SERVICES" ] || systemctl enable $SERVICES
  systemctl enable ngip-agent.service ngip-idle-check.timer
}

start_systemd() {
  enable_units
  # shellcheck disable=SC2086
  [ -z "$SERVICES" ] || systemctl start $SERVICES
  systemctl reload postgresql || true
  systemctl restart ngip-agent.service ngip-idle-check.timer
  say "started ngip-agent.service and ngip-idle-check.timer"
}

# Without systemd (a container): the services and the agent in the
# background, the agent's output in $STATE/agent.log; no idle-check timer.
start_direct() {
  local service version cluster _ pid
  for service in $SERVICES; do
    case $service in
      docker) docker info >/dev/null 2>&1 || (dockerd >/var/log/ngip-dockerd.log 2>&1 &) ;;
      postgresql)
        while read -r version cluster _; do
          pg_ctlcluster "$version" "$cluster" status >/dev/null || pg_ctlcluster "$version" "$cluster" start
          pg_ctlcluster "$version" "$cluster" reload
        done < <(pg_lsclusters --no-header)
        ;;
      redis-server) redis-cli ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --save '' >/dev/null ;;
      *) fail "NGIP_START=direct cannot start $service" ;;
    esac
  done
  pid=$(cat "$STATE/agent/agent.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  # shellcheck disable=SC2016 # $1 and $2 are the inner shell's
  as_user setsid sh -c 'set -a; . "$1"; set +a; cd "$2"; umask 0002; exec node_modules/.bin/node pipelines/agent/main.ts' \
    sh "$ENV_FILE" "$CHECKOUT" >>"$STATE/agent.log" 2>&1 </dev/null &
  say "started the agent in the background (log $STATE/agent.log)"
}

say "bootstrapping the ngip build host from $NGIP_REPO_URL ($START start)"
ssm_agent
packages
users
credential
checkout
dependencies
environment
units
postgres_trust
case $START in
  systemd) start_systemd ;;
  enable) enable_units && say "units enabled; they start at the next boot" ;;
  direct) start_direct ;;
  none) say "nothing started (NGIP_START=none)" ;;
  *) fail "NGIP_START must be systemd, enable, direct or none, got $START" ;;
esac
say "done"
