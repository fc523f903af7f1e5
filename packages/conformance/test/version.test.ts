import { milkyVersion } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { declaresField, parseVersion, ServerVersion } from '../src/version.ts';

const [major, minor] = parseVersion(milkyVersion) as [number, number];
const older = `${major}.${minor - 1}`;
const newer = `${major}.${minor + 1}`;

describe('a server is judged by the version it declares', () => {
  test.each([
    ['1.2', [1, 2]],
    ['1.3.0', [1, 3]],
    [' 2.10 ', [2, 10]],
    ['v1.2', undefined],
    ['1', undefined],
    ['latest', undefined],
  ])('%j reads as %j', (text, parsed) => {
    expect(parseVersion(text)).toEqual(parsed);
  });

  test.each([
    // declared, item since, expected, newer than the suite, at least the suite's version
    [older, older, true, false, false],
    [older, milkyVersion, false, false, false],
    [milkyVersion, milkyVersion, true, false, true],
    [`${milkyVersion}.4`, milkyVersion, true, false, true],
    [newer, milkyVersion, true, true, true],
    [undefined, milkyVersion, true, false, true],
    ['not a version', milkyVersion, true, false, true],
  ] as const)('declared %j, added in %j: expected %j, newer %j, current %j', (declared, since, expects, isNewer, current) => {
    const version = new ServerVersion(declared);
    expect(version.expects(since)).toBe(expects);
    expect(version.newer).toBe(isNewer);
    expect(version.current).toBe(current);
    expect(version.notExpected('it', since) === undefined).toBe(expects);
  });

  test('the reason names the item, the version that added it and the one declared', () => {
    expect(new ServerVersion(older).notExpected('the x event', milkyVersion)).toBe(
      `the x event was added in Milky ${milkyVersion}; the server declares ${older}`,
    );
  });

  test('fields are looked up in the registry', () => {
    expect(declaresField('GetUserProfileInput', 'user_id')).toBe(true);
    expect(declaresField('GetUserProfileInput', 'x_field')).toBe(false);
    expect(declaresField('XNoSuchDefinition', 'user_id')).toBe(false);
  });
});
