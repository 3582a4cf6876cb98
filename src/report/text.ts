/**
 * Text that reaches a terminal, a CI log or an XML file. Template text, file names and messages can hold control
 * characters (`ESC]0;…BEL` retitles a terminal, `ESC[2J` clears it, a newline splits a one-line record); every format
 * shows them as visible escapes instead.
 */

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, '0');

/**
 * `text` with every control character as a visible escape: `\n`, `\r`, `\t`, else `\x1b` style. Characters in `keep`
 * stay as they are (for formats with their own escaping of them). A backslash itself is not escaped.
 */
export function visible(text: string, keep = ''): string {
  return text.replace(CONTROL, (c) => (keep.includes(c) ? c : (NAMED[c] ?? `\\x${hex(c, 2)}`)));
}

/** Code points XML 1.0 does not allow at all (besides C0 controls): lone surrogates, U+FFFE, U+FFFF. */
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/**
 * `text` escaped for XML 1.0 content and attribute values alike: markup characters as entities, tab and line breaks
 * as character references (so attribute values keep them), and characters XML cannot carry as visible escapes.
 */
export function xml(text: string): string {
  return visible(text, '\t\n\r')
    .replace(NOT_XML, (c) => `\\u${hex(c, 4)}`)
    .replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITY[c]);
}

/** `1 file`, `2 files`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
