import { describeCniProfile, type CniProfile } from '@netdiagram/core';

/** The CNI profile as the title block shows it: named unless it is the generic profile by default. */
export function titleBlockCni(profile: CniProfile): { name: string; description: string; shown: boolean } {
  return { name: profile.name, description: describeCniProfile(profile), shown: profile.chosen !== 'default' || profile.reason !== undefined };
}
