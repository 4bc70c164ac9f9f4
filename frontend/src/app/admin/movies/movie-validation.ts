import type { Schemas } from '../../api/api-client';
import { AGE_RATINGS } from '../admin-format';

/** What the editor holds: the contract's MovieInput with the text fields staff type. */
export interface MovieDraft {
  title: string;
  originalTitle: string;
  synopsis: string;
  ageRating: string;
  /** Comma-separated. */
  genres: string;
  runtimeMinutes: string;
  releaseDate: string;
  posterUrl: string;
  trailerUrl: string;
  distributor: string;
}

export type MovieErrors = Partial<Record<keyof MovieDraft, string>>;

export function emptyDraft(): MovieDraft {
  return { title: '', originalTitle: '', synopsis: '', ageRating: '', genres: '', runtimeMinutes: '', releaseDate: '', posterUrl: '', trailerUrl: '', distributor: '' };
}

export function draftOf(m: Schemas['AdminMovie']): MovieDraft {
  return {
    title: m.title, originalTitle: m.originalTitle, synopsis: m.synopsis, ageRating: m.ageRating, genres: m.genres.join(', '),
    runtimeMinutes: String(m.runtimeMinutes), releaseDate: m.releaseDate, posterUrl: m.posterUrl, trailerUrl: m.trailerUrl,
    distributor: m.distributor,
  };
}

export function genresOf(text: string): string[] {
  return text.split(',').map((g) => g.trim()).filter(Boolean);
}

function length(v: string, min: number, max: number, what: string): string | undefined {
  const n = v.trim().length;
  if (n < min) return `Informe ${what}.`;
  if (n > max) return `Use no máximo ${max} caracteres (tem ${n}).`;
  return undefined;
}

function httpsUrl(v: string): string | undefined {
  const t = v.trim();
  if (!t) return 'Informe o endereço (https://…).';
  if (t.length > 500) return 'Use no máximo 500 caracteres.';
  if (!/^https:\/\//.test(t)) return 'O endereço deve começar com https://.';
  try {
    new URL(t);
  } catch {
    return 'Endereço inválido.';
  }
  return undefined;
}

/** The contract's MovieInput rules, in pt-BR, field by field; an empty object means valid. */
export function validateMovie(d: MovieDraft): MovieErrors {
  const e: MovieErrors = {};
  e.title = length(d.title, 1, 200, 'o título');
  e.originalTitle = length(d.originalTitle, 1, 200, 'o título original');
  e.synopsis = length(d.synopsis, 1, 2000, 'a sinopse');
  if (!(AGE_RATINGS as string[]).includes(d.ageRating)) e.ageRating = 'Escolha a classificação indicativa.';
  const genres = genresOf(d.genres);
  if (genres.length < 1) e.genres = 'Informe ao menos um gênero.';
  else if (genres.length > 6) e.genres = 'No máximo 6 gêneros.';
  else if (genres.some((g) => g.length > 40)) e.genres = 'Cada gênero tem no máximo 40 caracteres.';
  const runtime = Number(d.runtimeMinutes);
  if (!/^\d+$/.test(d.runtimeMinutes.trim()) || runtime < 1 || runtime > 600) e.runtimeMinutes = 'Duração em minutos, de 1 a 600.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.releaseDate) || Number.isNaN(Date.parse(`${d.releaseDate}T12:00:00Z`))) e.releaseDate = 'Informe a data de estreia.';
  e.posterUrl = httpsUrl(d.posterUrl);
  e.trailerUrl = httpsUrl(d.trailerUrl);
  e.distributor = length(d.distributor, 1, 120, 'a distribuidora');
  for (const k of Object.keys(e) as (keyof MovieDraft)[]) if (!e[k]) delete e[k];
  return e;
}

/** The request body of createMovie/updateMovie for a valid draft. */
export function movieInput(d: MovieDraft): Schemas['MovieInput'] {
  return {
    title: d.title.trim(), originalTitle: d.originalTitle.trim(), synopsis: d.synopsis.trim(),
    ageRating: d.ageRating as Schemas['AgeRating'], genres: genresOf(d.genres), runtimeMinutes: Number(d.runtimeMinutes),
    releaseDate: d.releaseDate, posterUrl: d.posterUrl.trim(), trailerUrl: d.trailerUrl.trim(), distributor: d.distributor.trim(),
  };
}
