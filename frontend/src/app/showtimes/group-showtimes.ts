import type { Schemas } from '../api/api-client';
import { formatVersion } from '../shared/locale/format';

type Showtime = Schemas['Showtime'];

export interface VersionGroup {
  /** "2D · Legendado" */
  label: string;
  showtimes: Showtime[];
}

export interface CinemaGroup {
  cinemaId: string;
  cinemaName: string;
  versions: VersionGroup[];
}

const formatOrder: Record<Schemas['Format'], number> = { '2D': 0, '3D': 1, IMAX: 2 };
const languageOrder: Record<Schemas['Language'], number> = { NACIONAL: 0, DUBLADO: 1, LEGENDADO: 2 };

/**
 * Groups a day's showtimes by cinema (by name), then by format and language
 * (2D before 3D before IMAX; dubbed before subtitled), each group by start time.
 */
export function groupShowtimes(showtimes: readonly Showtime[]): CinemaGroup[] {
  const byCinema = new Map<string, Showtime[]>();
  for (const s of showtimes) {
    byCinema.set(s.cinemaId, [...(byCinema.get(s.cinemaId) ?? []), s]);
  }
  return [...byCinema.values()]
    .map((list) => {
      const byVersion = new Map<string, Showtime[]>();
      for (const s of list) {
        const key = `${s.format}|${s.language}`;
        byVersion.set(key, [...(byVersion.get(key) ?? []), s]);
      }
      const versions = [...byVersion.values()]
        .sort((a, b) => formatOrder[a[0].format] - formatOrder[b[0].format] || languageOrder[a[0].language] - languageOrder[b[0].language])
        .map((v) => ({
          label: formatVersion(v[0].format, v[0].language),
          showtimes: [...v].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
        }));
      return { cinemaId: list[0].cinemaId, cinemaName: list[0].cinemaName, versions };
    })
    .sort((a, b) => a.cinemaName.localeCompare(b.cinemaName, 'pt-BR'));
}
