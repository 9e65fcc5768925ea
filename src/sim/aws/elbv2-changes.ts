/**
 * Changes to the simulated load balancers, as the ELBv2 write APIs make them (CreateLoadBalancer,
 * DeleteLoadBalancer, CreateListener, DeleteListener, ModifyListener, AddListenerCertificates,
 * RemoveListenerCertificates; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/),
 * each recorded in the account/region's CloudTrail event history with the load balancer or
 * listener ARN as its resource, as CloudTrail records ELBv2 management events
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudtrail-logs.html).
 * Multi-night scenarios and the benchmark's second night drive them.
 */
import { createHash } from 'node:crypto';
import { newTrail, record } from './trail.js';
import type { AwsRegionState, AwsWorld, ElbListener, ElbLoadBalancer } from './world.js';

const LB_TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const LISTENER_TYPE = 'AWS::ElasticLoadBalancingV2::Listener';

export class Elbv2Changes {
  constructor(
    private readonly world: AwsWorld,
    readonly account: string,
    readonly region: string,
  ) {
    world.trail ??= newTrail();
  }

  private get state(): AwsRegionState {
    const s = this.world.accounts.get(this.account)?.regions.get(this.region);
    if (!s) throw new Error(`no simulated region ${this.account}/${this.region}`);
    return s;
  }

  private log(name: string, at: Date, resources: [string, string][], request: Record<string, unknown>): void {
    record(this.world.trail!, `${this.account}/${this.region}`, {
      name,
      time: at,
      resources: resources.map(([type, n]) => ({ type, name: n })),
      request,
    });
  }

  private listener(arn: string): ElbListener {
    const l = this.state.listenersByArn.get(arn);
    if (!l) throw new Error(`ListenerNotFound: ${arn}`);
    return l;
  }

  private loadBalancer(arn: string): ElbLoadBalancer {
    const lb = this.state.loadBalancers.find((x) => x.arn === arn);
    if (!lb) throw new Error(`LoadBalancerNotFound: ${arn}`);
    return lb;
  }

  createLoadBalancer(name: string, at: Date, type = 'application'): ElbLoadBalancer {
    const kind = type === 'application' ? 'app' : 'net';
    const id = createHash('sha256').update(`${this.account}\u0000${this.region}\u0000${name}\u0000${at.toISOString()}`);
    const hex = id.digest('hex').slice(0, 16);
    const arn = `arn:${this.world.partition}:elasticloadbalancing:${this.region}:${this.account}:loadbalancer/${kind}/${name}/${hex}`;
    const lb: ElbLoadBalancer = {
      arn,
      name,
      type,
      scheme: 'internet-facing',
      state: 'active',
      dnsName: `${name}-${parseInt(hex.slice(0, 8), 16)}.${this.region}.elb.amazonaws.com`,
      createdAt: at,
      tags: {},
      listeners: [],
    };
    this.state.loadBalancers.push(lb);
    this.log('CreateLoadBalancer', at, [[LB_TYPE, arn]], { name, type });
    return lb;
  }

  deleteLoadBalancer(arn: string, at: Date): void {
    const lb = this.loadBalancer(arn);
    for (const l of lb.listeners) this.state.listenersByArn.delete(l.arn);
    this.state.loadBalancers.splice(this.state.loadBalancers.indexOf(lb), 1);
    this.log('DeleteLoadBalancer', at, [[LB_TYPE, arn]], { loadBalancerArn: arn });
  }

  createListener(lbArn: string, at: Date, l: { port: number; certificate: string; sslPolicy?: string }): ElbListener {
    const lb = this.loadBalancer(lbArn);
    const suffix = createHash('sha256').update(`${lbArn}\u0000${l.port}\u0000${at.toISOString()}`).digest('hex');
    const listener: ElbListener = {
      arn: lbArn.replace(':loadbalancer/', ':listener/') + `/${suffix.slice(0, 16)}`,
      loadBalancerArn: lbArn,
      protocol: lb.type === 'network' ? 'TLS' : 'HTTPS',
      port: l.port,
      sslPolicy: l.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      defaultCertificate: l.certificate,
      sni: [],
    };
    lb.listeners.push(listener);
    this.state.listenersByArn.set(listener.arn, listener);
    this.log(
      'CreateListener',
      at,
      [
        [LB_TYPE, lbArn],
        [LISTENER_TYPE, listener.arn],
      ],
      { loadBalancerArn: lbArn, port: l.port, certificates: [{ certificateArn: l.certificate }] },
    );
    return listener;
  }

  deleteListener(arn: string, at: Date): void {
    const l = this.listener(arn);
    const lb = this.loadBalancer(l.loadBalancerArn);
    lb.listeners.splice(lb.listeners.indexOf(l), 1);
    this.state.listenersByArn.delete(arn);
    this.log('DeleteListener', at, [[LISTENER_TYPE, arn]], { listenerArn: arn });
  }

  /** ModifyListener with a new default certificate. */
  swapCertificate(arn: string, certificate: string, at: Date): void {
    this.listener(arn).defaultCertificate = certificate;
    this.log('ModifyListener', at, [[LISTENER_TYPE, arn]], {
      listenerArn: arn,
      certificates: [{ certificateArn: certificate }],
    });
  }

  addSni(arn: string, certificate: string, at: Date): void {
    const l = this.listener(arn);
    if (!l.sni.includes(certificate)) l.sni.push(certificate);
    this.log('AddListenerCertificates', at, [[LISTENER_TYPE, arn]], {
      listenerArn: arn,
      certificates: [{ certificateArn: certificate }],
    });
  }

  removeSni(arn: string, certificate: string, at: Date): void {
    const l = this.listener(arn);
    l.sni = l.sni.filter((c) => c !== certificate);
    this.log('RemoveListenerCertificates', at, [[LISTENER_TYPE, arn]], {
      listenerArn: arn,
      certificates: [{ certificateArn: certificate }],
    });
  }
}
