// Shapes of docs/api.md: aliases of the types generated from the API contract (api-types.ts,
// written by scripts/gen-types.mjs from `dti openapi` at every build), so the UI cannot drift
// from what the server sends. Add a name here when a view needs one; never a hand-written shape.
import type * as A from './api-types';

export type Role = A.Role;
export type UnitKind = A.UnitKind;
export type User = A.User;
/** The general information block; views index it by the form's keys (info_fields). */
export type UnitInfo = A.UnitInfo & Partial<Record<string, string | number | null>>;
export type Unit = A.Unit;
/** GET /me of a signed-in user (an API token gets A.MeToken; the UI never holds one). */
export type Me = A.MeSession;
export type AuditEntry = A.AuditEntry;
export type ApiToken = A.ApiToken;
export type FrameworkSummary = A.FrameworkSummary;
export type Input = A.Input;
export type Rule = A.Rule;
export type Criterion = A.Criterion;
export type Group = A.Group;
export type Pillar = A.Pillar;
export type FrameworkTotals = A.FrameworkTotals;
export type Framework = A.Framework;
export type ApiError = A.ApiError;
