import type { Schemas } from '../api/api-client';
import { groupShowtimes } from './group-showtimes';

const st = (id: string, cinemaName: string, startsAt: string, format: Schemas['Format'], language: Schemas['Language']): Schemas['Showtime'] => ({
  id, movieId: 'm', movieTitle: 'M', cinemaId: cinemaName.toLowerCase(), cinemaName, roomId: 'r', roomName: 'Sala 1',
  startsAt, endsAt: startsAt, format, language,
});

describe('groupShowtimes', () => {
  it('groups by cinema, then by format and language, each by start time', () => {
    const groups = groupShowtimes([
      st('a', 'Santana', '2026-11-29T22:30:00Z', '2D', 'LEGENDADO'),
      st('b', 'Paulista', '2026-11-29T23:00:00Z', '3D', 'DUBLADO'),
      st('c', 'Paulista', '2026-11-29T20:00:00Z', '2D', 'LEGENDADO'),
      st('d', 'Paulista', '2026-11-29T18:00:00Z', '2D', 'DUBLADO'),
      st('e', 'Paulista', '2026-11-29T17:00:00Z', '2D', 'LEGENDADO'),
    ]);
    expect(groups.map((g) => g.cinemaName)).toEqual(['Paulista', 'Santana']);
    expect(groups[0].versions.map((v) => [v.label, v.showtimes.map((s) => s.id)])).toEqual([
      ['2D · Dublado', ['d']],
      ['2D · Legendado', ['e', 'c']],
      ['3D · Dublado', ['b']],
    ]);
  });

  it('answers nothing for no showtimes', () => {
    expect(groupShowtimes([])).toEqual([]);
  });
});
