// The evaluation-round screens, loaded together as one chunk when the first of them opens.
export { renderRoundNew, renderRounds } from './rounds';
export { renderRound } from './round';
export { renderTasks } from './tasks';
export { renderTask } from './task';
export { renderReport } from './report';
export { renderInbox } from './inbox';
