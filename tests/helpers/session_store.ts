import { configProvider } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'

type StoreFactory = (ctx: unknown, config: SessionConfig) => unknown
interface SessionConfig {
  store: string
  stores: Record<string, StoreFactory>
}

/**
 * The app as the session test plugins see it. Those plugins keep the
 * sessions they make (`loginAs`, `withSession`) in a memory store, which
 * only an app on the memory driver reads; here their "memory" store is the
 * app's own store (Redis in .env.test), so the tests run on the driver
 * every deployment uses.
 */
export function onAppSessionStore(app: ApplicationService): ApplicationService {
  const session = configProvider.create(async () => {
    const config = (await configProvider.resolve(app, app.config.get('session'))) as SessionConfig
    const appStore = config.stores[config.store]
    // The plugins make their store without a request: fine for every store but the cookie one.
    const memory = () => appStore(null, config)
    return { ...config, stores: { ...config.stores, memory } }
  })
  const appConfig = app.config
  const config = {
    get: (key: string, fallback?: unknown) =>
      key === 'session' ? session : appConfig.get(key, fallback),
  }
  return new Proxy(app, {
    get: (target, property, receiver) =>
      property === 'config' ? config : Reflect.get(target, property, receiver),
  })
}
