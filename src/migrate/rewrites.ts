/**
 * The one place that says how a component is converted beyond copying its arguments: per kind (which JSON keys the
 * converter handles itself, which core arguments every block of the kind accepts, whether `override` is carried over)
 * and per type (rewrites of single arguments). builders.ts and provisioners.ts consult it; body.ts applies the
 * argument rewrites where the argument stands.
 */
import type { OutItem } from '../hcl/model.js';
import type { JsonMember } from '../syntax/json.js';
import type { Migration, Notes, ScopeFor } from './context.js';
import type { ComponentKind } from './schema.js';
import type { Place, Scope } from './translate.js';

/**
 * Writes one JSON argument of a component in another form, or drops it (no items), e.g. `iso_checksum_type` folded
 * into `iso_checksum`. `members` are all the component's members (the last of each key), for arguments that depend
 * on others. The items are written where the argument stands. Notes about the argument are raised on `notes`
 * (`notes.add('review', message, at)`; the translation of values with `scope` raises its notes there too): the
 * first item returned carries them (the printer writes reviews as TODO comments in front of it); with no items,
 * the TODOs stand where the argument stood. `scopeFor` is the component's, for a rewrite that converts the argument
 * again with convertMembers (whose notes then come after the rewrite's on the same item).
 */
export type ArgumentRewrite = (m: Migration, member: JsonMember, members: JsonMember[], scope: Scope, notes: Notes, scopeFor: ScopeFor) => OutItem[];

/** Rewrites for one component type, by JSON argument name. */
export interface TypeRewrites {
  arguments: ReadonlyMap<string, ArgumentRewrite>;
}

export interface KindRewrites {
  /** Where values of this kind are translated (what `{{build_name}}` and friends mean there). */
  place: Place;
  /** JSON keys the converter handles itself (type, name, only, except, override): not copied as arguments. */
  handled: ReadonlySet<string>;
  /** Core arguments valid in every block of the kind besides the component's own (pause_before, keep_input_artifact, …). */
  core?: ReadonlySet<string>;
  /** Provisioners and post-processors: whether an `override` is carried over (post-processors do not support it). */
  override?: boolean;
  /** Per-type rewrites, by component type. */
  types: ReadonlyMap<string, TypeRewrites>;
}

export const REWRITES: Record<ComponentKind, KindRewrites> = {
  builders: {
    place: 'builder',
    handled: new Set(['type', 'name']),
    types: new Map(),
  },
  provisioners: {
    place: 'provisioner',
    handled: new Set(['type', 'only', 'except', 'override']),
    core: new Set(['pause_before', 'max_retries', 'timeout']),
    override: true,
    types: new Map(),
  },
  'post-processors': {
    place: 'post-processor',
    handled: new Set(['type', 'only', 'except', 'override']),
    core: new Set(['keep_input_artifact', 'name']),
    override: false,
    types: new Map(),
  },
};

const NONE: ReadonlyMap<string, ArgumentRewrite> = new Map();

/** The argument rewrites of one component type (none for most). */
export function argumentRewrites(kind: ComponentKind, type: string): ReadonlyMap<string, ArgumentRewrite> {
  return REWRITES[kind].types.get(type)?.arguments ?? NONE;
}
