import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Aws } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import { REPO_ROOT } from '../paths.js'

export interface BuildHostUserDataProps {
  groupName: string
  idleMinutes: number
  /** The repository the host clones and watches (a stack parameter). */
  repositoryUrl: string
  /** The Secrets Manager secret holding the read-only deploy credential, or `none`. */
  credentialSecret: string
}

/** The bootstrap, embedded at synth time: the host and the local tests run the same file. */
export const BOOTSTRAP_SCRIPT = readFileSync(
  join(REPO_ROOT, 'pipelines/build_host/bootstrap.sh'),
  'utf8'
)

const SSM_AGENT_DEB = `https://s3.${Aws.REGION}.${Aws.URL_SUFFIX}/amazon-ssm-${Aws.REGION}/latest/debian_amd64/amazon-ssm-agent.deb`

function environment(props: BuildHostUserDataProps) {
  return [
    `NGIP_REPO_URL='${props.repositoryUrl}'`,
    `NGIP_CREDENTIAL_SECRET='${props.credentialSecret}'`,
    `AWS_REGION='${Aws.REGION}'`,
    `BUILD_HOST_GROUP='${props.groupName}'`,
    `IDLE_MINUTES='${props.idleMinutes}'`,
    `NGIP_SSM_AGENT_URL='${SSM_AGENT_DEB}'`,
  ]
}

/**
 * Runs the bootstrap with the inputs above. An instance launched into the
 * warm pool only enables the units (it is about to be stopped); the
 * credential is `none` when the parameter says so (a public repository).
 */
const EC2_WRAPPER = `#!/bin/bash
set -euo pipefail
token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
state=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/autoscaling/target-lifecycle-state || true)
case $state in Warmed:*) export NGIP_START=enable ;; esac
if [ "$NGIP_CREDENTIAL_SECRET" = none ]; then export NGIP_REPO_CREDENTIAL=none; else export NGIP_REPO_CREDENTIAL="secretsmanager:$NGIP_CREDENTIAL_SECRET"; fi
/usr/local/sbin/ngip-bootstrap
touch /var/lib/ngip-pipeline/.bootstrapped`

/** Reruns the bootstrap at boot until it has once finished (a stop may cut the first one short). */
const BOOTSTRAP_UNIT = `[Unit]
Description=ngip build host bootstrap, until it has once finished
Wants=network-online.target
After=network-online.target
ConditionPathExists=!/var/lib/ngip-pipeline/.bootstrapped
[Service]
Type=oneshot
EnvironmentFile=/etc/ngip/bootstrap.env
ExecStart=/usr/local/sbin/ngip-bootstrap-ec2
StandardOutput=append:/var/log/ngip-bootstrap.log
StandardError=append:/var/log/ngip-bootstrap.log
TimeoutStartSec=45min
[Install]
WantedBy=multi-user.target`

function writeFile(path: string, text: string, mode: string) {
  return [`cat > ${path} <<'NGIP_EOF'`, text.trimEnd(), 'NGIP_EOF', `chmod ${mode} ${path}`]
}

/**
 * First boot of the build host (Debian 12): writes pipelines/build_host/
 * bootstrap.sh, its inputs and a unit that runs it, then runs it. The
 * bootstrap installs what the stages need, clones and installs the
 * repository as user ngip, and starts the agent and the idle-check timer.
 */
export function buildHostUserData(props: BuildHostUserDataProps): ec2.UserData {
  const userData = ec2.UserData.forLinux()
  userData.addCommands(
    'set -euo pipefail',
    'install -d -m 755 /etc/ngip',
    ...writeFile('/etc/ngip/bootstrap.env', environment(props).join('\n'), '644'),
    ...writeFile('/usr/local/sbin/ngip-bootstrap', BOOTSTRAP_SCRIPT, '755'),
    ...writeFile('/usr/local/sbin/ngip-bootstrap-ec2', EC2_WRAPPER, '755'),
    ...writeFile('/etc/systemd/system/ngip-bootstrap.service', BOOTSTRAP_UNIT, '644'),
    'systemctl daemon-reload',
    'systemctl enable ngip-bootstrap.service',
    'systemctl start ngip-bootstrap.service'
  )
  return userData
}
