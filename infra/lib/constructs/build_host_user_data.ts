import { Aws } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'

export interface BuildHostUserDataProps {
  groupName: string
  idleMinutes: number
  pnpmVersion: string
}

const CHECKOUT = '/opt/ngip'

function idleCheckService(props: BuildHostUserDataProps) {
  return [
    '[Unit]',
    'Description=Scale the ngip build host in when no pipeline ran for a while',
    'After=network-online.target docker.service',
    '[Service]',
    'Type=oneshot',
    'User=ngip',
    `WorkingDirectory=${CHECKOUT}`,
    `Environment=BUILD_HOST_GROUP=${props.groupName}`,
    `Environment=AWS_REGION=${Aws.REGION}`,
    `Environment=IDLE_MINUTES=${props.idleMinutes}`,
    // `pnpm pipeline` is a pnpm 12 built-in; `run` reaches the package script.
    'ExecStart=/usr/bin/env pnpm run pipeline idle-check',
  ]
}

const IDLE_CHECK_TIMER = [
  '[Unit]',
  'Description=Run the ngip idle-check every 5 minutes',
  '[Timer]',
  'OnBootSec=10min',
  'OnUnitActiveSec=5min',
  '[Install]',
  'WantedBy=timers.target',
]

function writeFile(path: string, lines: string[]) {
  return [`cat > ${path} <<'UNIT'`, ...lines, 'UNIT']
}

/**
 * First-boot setup of the build host: Docker, git, Node and pnpm, a `ngip`
 * user owning the checkout, and the idle-check on a systemd timer.
 */
export function buildHostUserData(props: BuildHostUserDataProps): ec2.UserData {
  const userData = ec2.UserData.forLinux()
  userData.addCommands(
    'set -euo pipefail',
    'dnf install -y docker git nodejs npm',
    'systemctl enable --now docker',
    `npm install -g pnpm@${props.pnpmVersion}`,
    'id ngip || useradd --create-home --groups docker ngip',
    `install -d -o ngip -g ngip ${CHECKOUT}`,
    ...writeFile('/etc/systemd/system/ngip-idle-check.service', idleCheckService(props)),
    ...writeFile('/etc/systemd/system/ngip-idle-check.timer', IDLE_CHECK_TIMER),
    'systemctl daemon-reload',
    'systemctl enable --now ngip-idle-check.timer'
  )
  return userData
}
