import { describe, expect, it } from 'vitest';
import { CoreStateWire, packState, unpackState, type CoreState } from '../../src/core/state.js';
import type { MessageId } from '../../src/core/ids.js';

const parent = `bagu${'a'.repeat(55)}` as MessageId;

const id = (n: number) => `${n}f1e2d4c-5b6a-4789-9abc-def012345678`;

describe('the state on the wire', () => {
  it('keeps everything the core needs, in fewer bytes', () => {
    const state: CoreState = {
      store_id: id(0),
      connections: { '1': null, '2': false, '3': 'a-chat' },
      generations: { job: { chat_id: 'c', parent_id: parent, attempt: 1, spent_ms: 0, generator: id(1) } },
      generators: { [id(1)]: { channel: 'ch_1', job: 'job' }, [id(2)]: { channel: 'ch_2' }, [id(3)]: {} },
      failed_starts: 2,
    };
    const wire = JSON.parse(JSON.stringify(packState(state)));
    expect(unpackState(CoreStateWire.parse(wire))).toEqual(state);
    expect(wire.gens[id(2)]).toBe('ch_2');
  });

  it('leaves out what is empty', () => {
    const state: CoreState = { store_id: id(0), connections: {}, generations: {}, generators: {} };
    expect(JSON.stringify(packState(state))).toBe(`{"store":"${id(0)}"}`);
    expect(unpackState(CoreStateWire.parse(packState(state)))).toEqual(state);
    const usual: CoreState = { ...state, store_id: 'theater-chat' };
    expect(JSON.stringify(packState(usual))).toBe('{}');
    expect(unpackState(CoreStateWire.parse({}))).toEqual(usual);
  });
});
