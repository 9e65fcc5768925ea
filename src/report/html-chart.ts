/**
 * The expiry timeline as inline SVG: one stacked bar per week (bound on the bottom, unbound on
 * top), the expired ones first. SVG presentation attributes, not style attributes, so the strict
 * Content-Security-Policy still holds.
 */
import { escapeHtml } from './escape.js';
import type { Timeline } from './view.js';

export const BOUND_COLOUR = '#d9480f';
export const UNBOUND_COLOUR = '#94a3b8';

const W = 880;
const H = 250;
const PAD = { left: 40, right: 12, top: 16, bottom: 46 };

function niceMax(n: number): number {
  if (n <= 5) return Math.max(n, 1);
  const step = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= n) return m * step;
  return 10 * step;
}

export function timelineSvg(t: Timeline): string {
  const max = niceMax(Math.max(0, ...t.buckets.map((b) => b.bound + b.unbound)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / t.buckets.length;
  const bar = Math.max(2, slot * 0.72);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="timeline-title">`,
  );
  out.push(`<title id="timeline-title">Certificates by weeks until expiry, bound and unbound</title>`);
  const ticks = max <= 5 ? max : 4;
  for (let i = 0; i <= ticks; i++) {
    const v = (max / ticks) * i;
    const yy = y(v).toFixed(1);
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${yy}" y2="${yy}" stroke="#e2e8f0" stroke-width="1"/>`);
    out.push(
      `<text x="${PAD.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
    );
  }
  let shownYear = '';
  t.buckets.forEach((b, i) => {
    const x = PAD.left + i * slot + (slot - bar) / 2;
    const label = b.label === 'expired' ? 'expired' : `week of ${b.label}`;
    out.push(
      `<g class="bucket" data-label="${escapeHtml(b.label)}" data-bound="${b.bound}" data-unbound="${b.unbound}">`,
    );
    out.push(`<title>${escapeHtml(`${label}: ${b.bound} bound, ${b.unbound} unbound`)}</title>`);
    if (b.bound)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(b.bound).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(0) - y(b.bound)).toFixed(1)}" fill="${BOUND_COLOUR}"/>`,
      );
    if (b.unbound)
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y(b.bound + b.unbound).toFixed(1)}" width="${bar.toFixed(1)}" height="${(y(b.bound) - y(b.bound + b.unbound)).toFixed(1)}" fill="${UNBOUND_COLOUR}"/>`,
      );
    // Invisible full-height target so the tooltip works on empty weeks too.
    out.push(
      `<rect x="${(PAD.left + i * slot).toFixed(1)}" y="${PAD.top}" width="${slot.toFixed(1)}" height="${plotH}" fill="#000" fill-opacity="0"/>`,
    );
    out.push('</g>');
    if (i === 0 || (i > 1 && (i - 1) % 4 === 0)) {
      // The first date label, and any that starts a new year, name the year; the rest are month-day.
      const year = b.label.slice(0, 4);
      const text = b.label === 'expired' ? 'expired' : year !== shownYear ? b.label : b.label.slice(5);
      if (b.label !== 'expired') shownYear = year;
      out.push(
        `<text x="${(x + bar / 2).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle"${b.label === 'expired' ? ' fill="#b42318"' : ''}>${escapeHtml(text)}</text>`,
      );
    }
  });
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(0)}" y2="${y(0)}" stroke="#64748b"/>`);
  const ly = H - 12;
  out.push(
    `<rect x="${PAD.left}" y="${ly - 9}" width="10" height="10" fill="${BOUND_COLOUR}"/><text x="${PAD.left + 14}" y="${ly}">bound (a binding serves it, or the provider reports it in use)</text>`,
  );
  out.push(
    `<rect x="${PAD.left + 390}" y="${ly - 9}" width="10" height="10" fill="${UNBOUND_COLOUR}"/><text x="${PAD.left + 404}" y="${ly}">unbound</text>`,
  );
  out.push('</svg>');
  return out.join('');
}
