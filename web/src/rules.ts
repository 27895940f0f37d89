// Each scoring rule of docs/framework-format.md written out as a plain Vietnamese sentence.
import { dayMonth, num, pct } from './format';
import type { Criterion, Rule } from './types';

function inputLabel(c: Criterion, name: unknown): string {
  const i = c.inputs?.find((x) => x.name === name);
  return `“${i?.label ?? String(name)}”`;
}

function pts(n: number): string {
  return `${num(n)} điểm`;
}

function zeroDen(policy: unknown): string {
  if (policy === 'zero') return 'Nếu mẫu số bằng 0: 0 điểm.';
  if (policy === 'full') return 'Nếu mẫu số bằng 0: đủ điểm.';
  return 'Nếu mẫu số bằng 0: tiêu chí không áp dụng (không tính vào điểm tối đa).';
}

export function ruleSentence(c: Criterion, rule: Rule | undefined = c.rule): string {
  if (!rule) return 'Chưa có cách tính điểm.';
  const max = c.max_points;
  switch (rule.type) {
    case 'yes_no':
      return `Đạt ${pts(max)} nếu ${inputLabel(c, rule.input)} là “Có”; nếu không: 0 điểm.`;
    case 'by_signer': {
      const input = c.inputs?.find((x) => x.name === rule.input);
      const fr = (rule.fractions ?? {}) as Record<string, number>;
      const parts = Object.entries(fr).map(([v, f]) => {
        const opt = input?.options?.find((o) => o.value === v)?.label ?? v;
        return `${opt}: ${pct(f)} (${pts(max * f)})`;
      });
      return `Điểm theo người ký (${inputLabel(c, rule.input)}): ${parts.join('; ')}; trường hợp khác: 0 điểm.`;
    }
    case 'checklist': {
      const items = (rule.items ?? []) as { input: string; points: number; label?: string; requires?: string }[];
      const parts = items.map((it) => {
        const name = it.label ? `“${it.label}”` : inputLabel(c, it.input);
        return `${name}: ${pts(it.points)}${it.requires ? ` (chỉ tính khi có ${inputLabel(c, it.requires)})` : ''}`;
      });
      return `Cộng điểm từng phần đạt được: ${parts.join('; ')}.`;
    }
    case 'per_item': {
      const cap = rule.max_items !== undefined ? `, tối đa ${num(rule.max_items)} lần` : '';
      return `${pts(rule.points_per_item)} mỗi lần/mục theo ${inputLabel(c, rule.input)}${cap}; không quá ${pts(max)}.`;
    }
    case 'count_steps': {
      const steps = ([...(rule.steps ?? [])] as { min: number; fraction: number }[]).sort((a, b) => b.min - a.min);
      const parts = steps.map((s) => `từ ${num(s.min)} trở lên: ${pct(s.fraction)} (${pts(max * s.fraction)})`);
      return `Theo ${inputLabel(c, rule.input)}: ${parts.join('; ')}; ít hơn: 0 điểm.`;
    }
    case 'ratio_to_target':
      return `Điểm = ${inputLabel(c, rule.input)} / ${num(rule.target)} × ${num(max)}: đạt ${num(rule.target)} trở lên được đủ ${pts(max)}, thấp hơn tính theo tỷ lệ.`;
    case 'ratio':
      return `Điểm = ${inputLabel(c, rule.numerator)} / ${inputLabel(c, rule.denominator)} × ${num(max)}. ${zeroDen(rule.zero_denominator)}`;
    case 'inverse_ratio':
      return `Điểm = (1 − ${inputLabel(c, rule.numerator)} / ${inputLabel(c, rule.denominator)}) × ${num(max)}: tỷ lệ càng cao, điểm càng thấp. ${zeroDen(rule.zero_denominator)}`;
    case 'penalty_per_incident': {
      const zero = rule.zero_at !== undefined ? `; từ ${num(rule.zero_at)} trở lên: 0 điểm` : '';
      return `Tối đa ${pts(max)}, trừ ${pts(rule.penalty)} cho mỗi lần theo ${inputLabel(c, rule.input)}, thấp nhất 0 điểm${zero}.`;
    }
    case 'deadline':
      return `Đủ ${pts(max)} nếu ${inputLabel(c, rule.input)} không muộn hơn ngày ${dayMonth(rule.due)}; muộn hơn: ${pct(rule.late_fraction ?? 0)} (${pts(max * (rule.late_fraction ?? 0))}); không có ngày: 0 điểm.`;
    case 'not_applicable':
      return 'Tiêu chí không tính điểm (không đưa vào điểm tối đa).';
    case 'manual':
      return `Cán bộ thẩm định chấm trực tiếp, từ 0 đến ${pts(max)}.`;
    case 'formula':
      return `Điểm tính theo công thức: ${String(rule.expr ?? '')} (từ 0 đến ${pts(max)}).`;
    default:
      return `Quy tắc “${rule.type}”.`;
  }
}
