import { test } from '@japa/runner'
import { Match } from 'aws-cdk-lib/assertions'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { synthEnv } from './helpers.js'

/** Calls the bundled handler in a bare Node process: no node_modules around it. */
const INVOKE = `
const { handler } = require(process.env.BUNDLE)
const event = { rawPath: process.env.PATH_TO_CALL, rawQueryString: '', headers: {}, isBase64Encoded: false,
  requestContext: { http: { method: 'GET', sourceIp: '203.0.113.7' } } }
handler(event).then((r) => { console.log(JSON.stringify(r)); process.exit(0) }, (e) => { console.error(e); process.exit(1) })
`

function bundleDir() {
  const { outdir } = synthEnv('stage')
  const functions = synthEnv('stage').template('ping').findResources('AWS::Lambda::Function')
  const [fn] = Object.values(functions).filter(
    (resource) => resource.Properties.Runtime === 'nodejs24.x'
  )
  const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')
  return join(outdir, `asset.${hash}`)
}

test.group('infra ping stack', (group) => {
  group.each.timeout(60_000)

  test('runs the ping edge as a Node 24 Lambda in the isolated subnets', () => {
    synthEnv('stage')
      .template('ping')
      .hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        VpcConfig: {
          SubnetIds: Match.arrayWith([
            { 'Fn::ImportValue': Match.stringLikeRegexp('VpcdataSubnet') },
          ]),
        },
        Environment: {
          Variables: Match.objectLike({
            REDIS_HOST: Match.anyValue(),
            REDIS_PORT: Match.anyValue(),
            REDIS_PASSWORD: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith(['{{resolve:secretsmanager:'])]),
            }),
            REDIS_TLS: 'true',
            PING_BODY_LIMIT: '10000',
            PING_RATE_LIMIT: '0',
          }),
        },
      })
  })

  test('the esbuild bundle is self-contained and answers through its handler', ({ assert }) => {
    const dir = bundleDir()
    assert.isTrue(existsSync(join(dir, 'index.js')), dir)
    const output = execFileSync(process.execPath, ['-e', INVOKE], {
      cwd: dir,
      env: {
        BUNDLE: join(dir, 'index.js'),
        PATH_TO_CALL: '/no-such-route',
        REDIS_HOST: '127.0.0.1',
      },
    })
    assert.include(JSON.parse(output.toString()), { statusCode: 404 })
  })

  test('routes the UUID, slug, push and health forms on its own domain', ({ assert }) => {
    const template = synthEnv('stage').template('ping')
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
    assert.sameMembers(
      routes.map((route) => route.Properties.RouteKey),
      ['ANY /ping/{proxy+}', 'ANY /{proxy+}', 'ANY /api/push/{proxy+}', 'ANY /health']
    )
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'ping.stage.ngip.example.com',
      DomainNameConfigurations: [Match.objectLike({ EndpointType: 'REGIONAL' })],
    })
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'ping.stage.ngip.example.com',
      ValidationMethod: 'DNS',
    })
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { Stage: '$default' })
  })

  test('the stage is throttled and access logged', () => {
    synthEnv('prod')
      .template('ping')
      .hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('requestId'),
        },
      })
  })

  test('API Gateway calls the live alias of a published, retained version', ({ assert }) => {
    const template = synthEnv('prod').template('ping')
    const versions = Object.entries(template.findResources('AWS::Lambda::Version'))
    assert.lengthOf(versions, 1)
    const [versionId, version] = versions[0]
    assert.include(version, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
    const aliases = Object.entries(template.findResources('AWS::Lambda::Alias'))
    assert.lengthOf(aliases, 1)
    const [aliasId, alias] = aliases[0]
    assert.equal(alias.Properties.Name, 'live')
    assert.deepEqual(alias.Properties.FunctionVersion, { 'Fn::GetAtt': [versionId, 'Version'] })
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'))
    assert.isNotEmpty(integrations)
    for (const integration of integrations) {
      assert.deepEqual(integration.Properties.IntegrationUri, { Ref: aliasId })
    }
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'))
    assert.isNotEmpty(permissions)
    for (const permission of permissions) {
      assert.deepEqual(permission.Properties.FunctionName, { Ref: aliasId })
    }
    template.hasOutput('PingFunctionName', { Value: { Ref: alias.Properties.FunctionName.Ref } })
  })

  test('the Lambda may talk to Redis and nothing else', () => {
    const template = synthEnv('stage').template('ping')
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Ping Lambda: egress to Redis only',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    })
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 1)
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      DestinationSecurityGroupId: {
        'Fn::ImportValue': Match.stringLikeRegexp('RedisSecurityGroup'),
      },
    })
  })
})
