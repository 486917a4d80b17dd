import { readFileSync } from 'node:fs'
import { loadEdgeConfig, type EdgeConfig } from '../config.js'

/**
 * Settings of the SMTP listener (email pings), read from the environment
 * like the edge's; the Redis, body and rate settings are the edge's own.
 */
export interface SmtpdConfig {
  /** Mail to <uuid>@<domain> is a ping (PING_EMAIL_DOMAIN) */
  domain: string
  host: string
  port: number
  /** A bigger message is refused with 552 (SMTPD_MAX_MESSAGE_BYTES) */
  maxMessageBytes: number
  /** Connections open at once; more get 421 (SMTPD_MAX_CONNECTIONS) */
  maxConnections: number
  /** An idle connection is closed after this (SMTPD_TIMEOUT_MS) */
  timeoutMs: number
  /** STARTTLS is offered only with a key and a certificate (SMTPD_TLS_KEY, SMTPD_TLS_CERT) */
  tls: { key: Buffer; cert: Buffer } | null
  edge: EdgeConfig
}

export const SMTPD_DEFAULTS = {
  port: 2525,
  maxMessageBytes: 1024 * 1024,
  maxConnections: 100,
  timeoutMs: 60_000,
} as const

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`)
  }
  return value
}

function tls(env: NodeJS.ProcessEnv): SmtpdConfig['tls'] {
  const key = env.SMTPD_TLS_KEY || ''
  const cert = env.SMTPD_TLS_CERT || ''
  if (!key && !cert) {
    return null
  }
  if (!key || !cert) {
    throw new Error('STARTTLS needs both SMTPD_TLS_KEY and SMTPD_TLS_CERT (PEM file paths)')
  }
  return { key: readFileSync(key), cert: readFileSync(cert) }
}

/** Whether email pings are on: the supervisor starts the listener only then. */
export function emailPingsEnabled(env: NodeJS.ProcessEnv = process.env) {
  return Boolean(env.PING_EMAIL_DOMAIN)
}

export function loadSmtpdConfig(env: NodeJS.ProcessEnv = process.env): SmtpdConfig {
  const domain = (env.PING_EMAIL_DOMAIN || '').trim().toLowerCase()
  if (!domain) {
    throw new Error(
      'PING_EMAIL_DOMAIN is not set: the domain of the ping addresses (<uuid>@<domain>)'
    )
  }
  return {
    domain,
    host: env.SMTPD_HOST || env.HOST || '127.0.0.1',
    port: int(env, 'SMTPD_PORT', SMTPD_DEFAULTS.port),
    maxMessageBytes: int(env, 'SMTPD_MAX_MESSAGE_BYTES', SMTPD_DEFAULTS.maxMessageBytes, 1024),
    maxConnections: int(env, 'SMTPD_MAX_CONNECTIONS', SMTPD_DEFAULTS.maxConnections, 1),
    timeoutMs: int(env, 'SMTPD_TIMEOUT_MS', SMTPD_DEFAULTS.timeoutMs, 1000),
    tls: tls(env),
    edge: loadEdgeConfig(env),
  }
}
