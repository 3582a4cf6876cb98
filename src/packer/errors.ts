/** A file or directory the user asked about cannot be read: exit status 2, one line naming it. */
export class InputError extends Error {}
