// US states and territories: not PHI themselves (Safe Harbor keeps the state), but they anchor city and ZIP patterns.
import { wordSet } from './word-set.ts';

/** USPS two-letter codes, upper case as written in addresses. */
export const STATE_CODES: ReadonlySet<string> = new Set(
  `AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA
  RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP`
    .trim()
    .split(/\s+/),
);

/** Full names, lower case, words joined by one space. */
export const STATE_NAMES: ReadonlySet<string> = new Set(
  `alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|district of columbia|florida|georgia|
  hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|
  mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|north carolina|
  north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|
  vermont|virginia|washington|west virginia|wisconsin|wyoming|puerto rico|guam`
    .split('|')
    .map((name) => name.trim()),
);

/** Every word that appears in a state name, for rules that must not take a state for a city or a surname. */
export const STATE_NAME_WORDS: ReadonlySet<string> = wordSet([...STATE_NAMES].join(' '));

/** A regex alternation of the state codes and names (names title- or upper-case), for building patterns. */
export const STATE_PATTERN = [
  [...STATE_CODES].join('|'),
  ...[...STATE_NAMES].map((name) =>
    name
      .split(' ')
      .map(
        (word) =>
          `(?:${word.charAt(0).toUpperCase()}${word.slice(1)}|${word.toUpperCase()}${word === 'of' ? '|of' : ''})`,
      )
      .join('\\s+'),
  ),
].join('|');
