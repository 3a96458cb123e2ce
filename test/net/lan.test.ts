import { describe, it, expect } from 'vitest';
import { Simulator } from '../../src/sim/simulator';
import { Lan, type FrameReceiver } from '../../src/net/lan';
import type { EthernetFrame } from '../../src/net/packets';

const A = 0x525400000001;
const B = 0x525400000002;
const ARP = { kind: 'arp', op: 1, senderMac: 0, senderIp: 0, targetMac: 0, targetIp: 0 } as const;

function receiver(name: string, log: string[]): FrameReceiver {
  return { receiveFrame: (f) => log.push(`${name}<-${f.src.toString(16).slice(-1)}`), carrierChanged: () => {} };
}

function frame(src: number, dst: number): EthernetFrame {
  return { src, dst, payload: ARP };
}

describe('Lan', () => {
  it('learns where a MAC is, sends unicast there only, and follows it when it moves to another port', () => {
    const sim = new Simulator();
    const lan = new Lan(sim, 'lan');
    const log: string[] = [];
    const p1 = lan.attach('p1', receiver('p1', log));
    const p2 = lan.attach('p2', receiver('p2', log));
    const p3 = lan.attach('p3', receiver('p3', log));
    p2.send(frame(B, A)); // A unknown: flooded; B learned on p2
    p1.send(frame(A, B)); // to p2 only; A learned on p1
    p1.send(frame(A, B));
    sim.runUntil(1000);
    expect(log).toEqual(['p1<-2', 'p3<-2', 'p2<-1', 'p2<-1']);
    log.length = 0;
    // p2's cable is cut: the switch forgets B; B shows up on p3
    lan.setLinkState(p2, false);
    p3.send(frame(B, A));
    p1.send(frame(A, B));
    sim.runUntil(2000);
    expect(log).toEqual(['p1<-2', 'p3<-1']);
    log.length = 0;
    // a partition clears the table: unknown again, flooded within p1's group only
    lan.partition([['p1', 'p2']]);
    p1.send(frame(A, B));
    sim.runUntil(3000);
    expect(log).toEqual([]);
    lan.heal();
    lan.setLinkState(p2, true);
    p1.send(frame(A, B));
    sim.runUntil(4000);
    expect(log).toEqual(['p2<-1', 'p3<-1']);
  });

  it('a busy cable delivers every frame in the order sent, however many are in flight at once', () => {
    const sim = new Simulator();
    const lan = new Lan(sim, 'lan', { latency: 100 });
    const got: number[] = [];
    const p1 = lan.attach('p1', { receiveFrame: () => {}, carrierChanged: () => {} });
    lan.attach('p2', { receiveFrame: (f) => got.push((f.payload as { senderIp: number }).senderIp), carrierChanged: () => {} });
    let sent = 0;
    // bursts of growing size, each sent while the previous one is still on the cable
    for (let burst = 1; burst <= 40; burst++) {
      sim.at(burst * 30, () => {
        for (let i = 0; i < burst; i++) p1.send({ src: A, dst: B, payload: { ...ARP, senderIp: sent++ } });
      });
    }
    sim.runUntil(10_000);
    expect(sent).toBe(820);
    expect(got).toEqual(Array.from({ length: sent }, (_, i) => i));
  });
});
