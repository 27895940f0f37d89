// The administration screens (and the leader's own unit users), loaded as one chunk.
export { renderUnits } from './units';
export { renderUsers } from './users';
export { renderUnitUsers } from './unitusers';
export { renderAudit } from './audit';
