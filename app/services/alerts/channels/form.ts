import { CHANNEL_KINDS, type ChannelKind } from '#services/alerts/channels/index'
import type { ChannelFormField } from '#services/alerts/channels/kind'

export interface SharedFormField extends ChannelFormField {
  kinds: ChannelKind[]
  /** The Alpine conditions under which it shows (and is posted), and not */
  when: string
  unless: string
}

function when(kinds: ChannelKind[]) {
  return kinds.map((kind) => `kind === '${kind}'`).join(' || ')
}

function unless(kinds: ChannelKind[]) {
  return kinds.map((kind) => `kind !== '${kind}'`).join(' && ')
}

/**
 * What the Channel form renders, from the kinds: the kind list, one input
 * per config field name the shared partial draws (a URL serves every kind
 * that has one), and each kind's own partial.
 */
export function channelForm() {
  const shared = new Map<string, SharedFormField>()
  for (const kind of CHANNEL_KINDS) {
    for (const field of kind.form.fields as ChannelFormField[]) {
      if (field.input === 'own') {
        continue
      }
      const known = shared.get(field.name)
      const kinds = [...(known?.kinds ?? []), kind.name]
      shared.set(field.name, {
        ...(known ?? field),
        kinds,
        when: when(kinds),
        unless: unless(kinds),
      })
    }
  }
  return {
    kinds: CHANNEL_KINDS.map((kind) => kind.name) as ChannelKind[],
    kindLabels: Object.fromEntries(CHANNEL_KINDS.map((kind) => [kind.name, kind.label])),
    fields: [...shared.values()],
    partials: CHANNEL_KINDS.flatMap((kind) =>
      kind.form.partial
        ? [
            {
              kind: kind.name,
              when: when([kind.name]),
              view: kind.form.partial,
              data: kind.form.data,
            },
          ]
        : []
    ),
  }
}
