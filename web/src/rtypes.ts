// Shapes of docs/rounds-api.md: aliases of the types generated from the API contract
// (api-types.ts), so the round screens cannot drift from what the server sends.
import type * as A from './api-types';

export type Phase = NonNullable<A.Round['current_phase']>;
export type TaskState = A.Task['state'];
export type TimeState = A.Task['time_state'];
export type PhaseWindow = A.RoundPhase;
export type RoundFramework = A.RoundFramework;
export type Round = A.Round;
export type TaskRow = A.TaskRow;
export type Task = A.Task;
export type TaskCriterion = A.TaskCriterion;
/** A criterion's input as a task carries it. */
export type TaskInput = A.TaskCriterion['inputs'][number];
/** What the typed controls need of an input (a task's, or an external criterion's). */
export type InputLike = Pick<TaskInput, 'name' | 'type'> & { label: string | null; min?: number | null; max?: number | null; options?: TaskInput['options'] };
/** An input's label (the name when the set gives none). */
export const inputLabel = (i: { label: string | null; name: string }): string => i.label ?? i.name;
export type Evidence = A.Evidence;
export type Comment = A.TaskComment;
export type Counts = A.TaskCounts;
export type SummaryUnit = A.SummaryUnit;
export type Assignment = A.AppraiserAssignment;
export type InboxItem = A.InboxItem;
export type Inbox = { items: InboxItem[]; counts: Record<string, number>; total: number; limit: number };
export type ReadingRow = A.CriterionReadings;
export type ExternalCriterion = A.ExternalCriterion;
export type ExternalRow = A.ExternalValue;
export interface Preview { points: number | null; status?: string; explanation?: string }
