// The admin's publication of a finalised round (part: pub, issue 9), a section of the round
// page: publish (or publish a correction with its reason), then the SHA-256 receipt of the
// public JSON export, printed so it can be handed out and checked with sha256sum
// (docs/publication.md). Earlier versions stay listed.
import { ApiError, get, post } from '../api';
import { h, replace } from '../dom';
import { attempt, confirmDialog } from '../dialog';
import { dateTime } from '../format';
import { Form, input, submit } from '../forms';
import type { Publication, PublicationVersion } from '../api-types';

interface PublicRound { publication: Publication; versions: PublicationVersion[] }

export async function publishSection(roundId: number, box: HTMLElement): Promise<void> {
  let current: PublicRound | null = null;
  try {
    current = await get<PublicRound>(`/public/rounds/${roundId}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const rerender = () => publishSection(roundId, box);
  if (!current) {
    const btn = h('button', { type: 'button', class: 'primary' }, 'Công bố kết quả');
    btn.addEventListener('click', async () => {
      const ok = await confirmDialog('Công bố kết quả',
        'Bảng xếp hạng và phương pháp của đợt sẽ được đóng băng và hiển thị công khai (không cần đăng nhập), kèm tệp JSON, CSV và mã kiểm tra SHA-256. Bản công bố không xoá được; sai sót được sửa bằng một phiên bản mới.', 'Công bố');
      if (ok && await attempt(() => post(`/rounds/${roundId}/publish`, {}))) await rerender();
    });
    replace(box, h('p', null, 'Đợt đánh giá đã hoàn thành nhưng chưa công bố: kết quả chưa hiển thị công khai.'),
      h('div', { class: 'actions' }, btn));
    return;
  }
  const pub = current.publication;
  const form = new Form(async (f) => {
    await post(`/rounds/${roundId}/publish`, { note: f.value('note') });
    await rerender();
  }, { class: 'publish-again', 'aria-label': 'Công bố bản đính chính' });
  form.el.append(
    form.field('note', 'Lý do công bố lại (bản đính chính)', input('text', { maxlength: '1000' }), { required: true }).wrap,
    h('div', { class: 'actions' }, submit('Công bố phiên bản mới')));
  replace(box,
    h('p', { class: 'published-state' }, `Đã công bố phiên bản ${pub.version} lúc ${dateTime(pub.published_at)}. `,
      h('a', { href: `/cong-khai/${roundId}` }, 'Xem trang công khai')),
    h('div', { class: 'receipt-box' },
      h('p', null, 'Mã kiểm tra SHA-256 (biên nhận) của tệp công bố JSON:'),
      h('p', null, h('code', { class: 'sha256 receipt-sha' }, pub.sha256)),
      h('p', null, 'Ai cũng kiểm tra được: tải tệp ', h('a', { href: pub.json_url, download: '' }, 'JSON công bố'),
        ' rồi chạy ', h('code', null, 'sha256sum'), '; kết quả phải trùng với mã trên.')),
    current.versions.length > 1 ? h('ul', { class: 'plain' }, current.versions.map((v) =>
      h('li', null, `Phiên bản ${v.version} (${dateTime(v.published_at)})${v.note ? ': ' + v.note : ''} — `, h('code', { class: 'sha256' }, v.sha256)))) : null,
    form.el);
}
