/** The component schemas live in src/packer/components.ts (the rules read them too); the migrator's names for them. */
export { lookupComponent, type ArgSpec, type Component, type ComponentKind, type Lookup, type Spec } from '../packer/components.js';
