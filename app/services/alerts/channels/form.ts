import { CHANNEL_KINDS, type ChannelKind } from '#services/alerts/channels/index'
import type { ChannelFormField } from '#services/alerts/channels/kind'

export interface SharedFormField extends ChannelFormField {
  /** The input's id, unique when kinds ask for one config field differently */
  id: string
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
  // Kinds share an input where they ask for the same thing the same way.
  const shared = new Map<string, SharedFormField>()
  for (const kind of CHANNEL_KINDS) {
    for (const field of kind.form.fields as ChannelFormField[]) {
      if (field.input === 'own') {
        continue
      }
      const same = JSON.stringify({ ...field, parse: undefined })
      const known = shared.get(same)
      const kinds = [...(known?.kinds ?? []), kind.name]
      const taken = !known && [...shared.values()].some((other) => other.name === field.name)
      shared.set(same, {
        ...(known ?? field),
        id: known?.id ?? (taken ? `config-${field.name}-${kind.name}` : `config-${field.name}`),
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
