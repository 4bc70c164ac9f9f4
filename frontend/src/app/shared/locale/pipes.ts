import { Pipe, PipeTransform } from '@angular/core';
import type { Schemas } from '../../api/api-client';
import { formatMoney, formatShowtimeStart, formatTime } from './format';

/** {{ price | brl }} → R$ 24,90 */
@Pipe({ name: 'brl' })
export class BrlPipe implements PipeTransform {
  transform(money: Schemas['Money'] | null | undefined): string {
    return money ? formatMoney(money) : '';
  }
}

/** {{ showtime.startsAt | spTime }} → 22:30 in São Paulo */
@Pipe({ name: 'spTime' })
export class SpTimePipe implements PipeTransform {
  transform(instant: string | null | undefined): string {
    return instant ? formatTime(instant) : '';
  }
}

/** {{ showtime.startsAt | spShowtime }} → sáb., 28/11 · 22:30 */
@Pipe({ name: 'spShowtime' })
export class SpShowtimePipe implements PipeTransform {
  transform(instant: string | null | undefined): string {
    return instant ? formatShowtimeStart(instant) : '';
  }
}
