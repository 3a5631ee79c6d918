// Longest first, so two workers finish together: jest orders suites by the
// durations it cached from earlier runs, and on a fresh clone (CI) by file
// size, which puts a short spec that runs for four minutes (the chaos profile)
// last, alone. A suite whose source holds the marker below goes first
// whatever jest knows, in jest's own order among them.
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

const LONG_RUNNING_MARKER = '@long-running';

class LongRunningFirstSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const longRunning = (test) => readFileSync(test.path, 'utf8').includes(LONG_RUNNING_MARKER);
    return [...sorted.filter(longRunning), ...sorted.filter((test) => !longRunning(test))];
  }
}

module.exports = LongRunningFirstSequencer;
