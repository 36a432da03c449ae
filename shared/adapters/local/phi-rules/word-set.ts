// Builds the look-up sets the rules use from whitespace-separated word lists written as data.

/** A set of the lower-case words in `list` (any whitespace separates them). */
export function wordSet(list: string): ReadonlySet<string> {
  return new Set(list.toLowerCase().trim().split(/\s+/));
}
