import { ConfigError } from "../config";
import { PRICE_TABLES, type PriceTable } from "./prices";
import type { Usage } from "./usage";

type Json = Record<string, unknown>;

/** One priced line of a resource, as Infracost shows it. */
export interface CostComponent {
  readonly name: string;
  readonly quantity: number;
  readonly unit: string;
  readonly monthly: number;
}

/** What the same always-on capacity costs with a commitment, beside on-demand. */
export interface Commitments {
  readonly reserved1yNoUpfront: number;
  readonly reserved3yNoUpfront: number;
  readonly computeSavingsPlan1yNoUpfront: number;
}

export interface ResourceCost {
  readonly address: string;
  readonly components: readonly CostComponent[];
  readonly monthly: number;
  readonly commitments?: Commitments;
}

export interface StackCost {
  readonly stack: string;
  readonly resources: readonly ResourceCost[];
  readonly monthly: number;
}

export interface EnvironmentCost {
  readonly env: string;
  readonly region: string;
  readonly pricesAsOf: string;
  readonly stacks: readonly StackCost[];
  readonly monthly: number;
  readonly usage: Usage;
}

const record = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const round = (n: number) => Math.round(n * 100) / 100;

const SIZE_FACTOR: Record<string, number> = {
  medium: 0.5,
  large: 1,
  xlarge: 2,
  "2xlarge": 4,
  "3xlarge": 6,
  "4xlarge": 8,
  "6xlarge": 12,
  "8xlarge": 16,
  "9xlarge": 18,
  "12xlarge": 24,
  "16xlarge": 32,
  "18xlarge": 36,
  "24xlarge": 48,
  "32xlarge": 64,
  "48xlarge": 96,
};

/** On-demand price per hour of an instance type, scaled from the family's `.large`. */
export function instanceHourly(prices: PriceTable, type: string): number {
  const [family, size] = type.split(".") as [string, string];
  const large = prices.ec2OnDemandLarge[`${family}.large`];
  const factor = SIZE_FACTOR[size];
  if (large === undefined || factor === undefined) {
    throw ConfigError.single(
      "shipyard cost",
      `the ${prices.region} price table has no price for ${type} (expected ${family}.large in src/cost/prices/${prices.region}.ts)`,
      "instance type",
    );
  }
  return large * factor;
}

export function priceTableFor(region: string, env: string): PriceTable {
  const table = PRICE_TABLES.get(region);
  if (!table) {
    throw ConfigError.single(
      `environments/${env}.yaml`,
      `no price table for region ${region} (expected one of: ${[...PRICE_TABLES.keys()].join(", ")}; add src/cost/prices/${region}.ts)`,
      "region",
    );
  }
  return table;
}

/** The region and tier a stack's AWS provider carries. */
export function stackRegionAndTier(json: Json): { region?: string; tier?: string } {
  const aws = record(list(record(json.provider).aws)[0]);
  const tags = record(record(list(aws.default_tags)[0]).tags);
  return { region: aws.region as string | undefined, tier: tags["shipyard:tier"] as string | undefined };
}

/**
 * Monthly cost of one environment's stacks from their synthesized JSON, the price table of its region
 * and the usage assumptions. Resources without a price of their own (IAM, routes, Kubernetes objects)
 * are left out, as Infracost does with free resources.
 */
export function estimateEnvironment(env: string, stacks: ReadonlyMap<string, Json>, usage: Usage, prices: PriceTable): EnvironmentCost {
  const hours = prices.hoursPerMonth;
  const all = [...stacks.values()];
  const count = (type: string) => all.reduce((n, s) => n + Object.keys(record(record(s.resource)[type])).length, 0);
  const natCount = count("aws_nat_gateway");
  const interfaceEndpoints = all
    .flatMap((s) => Object.values(record(record(s.resource).aws_vpc_endpoint)).map(record))
    .filter((e) => e.vpc_endpoint_type === "Interface").length;
  const launchTemplates = new Map<string, Json>(
    all.flatMap((s) =>
      Object.entries(record(record(s.resource).aws_launch_template)).map(([k, v]): [string, Json] => [
        `aws_launch_template.${k}`,
        record(v),
      ]),
    ),
  );
  const trailHasDataEvents = all.some((s) =>
    Object.values(record(record(s.resource).aws_cloudtrail)).some((t) => list(record(t).advanced_event_selector).length > 1),
  );
  const spotShare = usage.spotShareOfOnDemand ?? prices.spotShareOfOnDemand.usd;
  const line = (name: string, quantity: number, unit: string, price: number): CostComponent => ({
    name,
    quantity: round(quantity),
    unit,
    monthly: round(quantity * price),
  });

  const stackCosts: StackCost[] = [];
  for (const [stack, json] of [...stacks].sort(([a], [b]) => a.localeCompare(b))) {
    const resources: ResourceCost[] = [];
    const add = (address: string, components: CostComponent[], commitments?: Commitments) => {
      if (components.length === 0) return;
      resources.push({
        address,
        components,
        monthly: round(components.reduce((n, c) => n + c.monthly, 0)),
        ...(commitments ? { commitments } : {}),
      });
    };
    for (const [type, instances] of Object.entries(record(json.resource))) {
      for (const [name, raw] of Object.entries(record(instances))) {
        const r = record(raw);
        const address = `${type}.${name}`;
        switch (type) {
          case "aws_eks_cluster": {
            const extended = record(r.upgrade_policy).support_type === "EXTENDED";
            add(address, [
              line(
                `EKS control plane (${extended ? "extended" : "standard"} support)`,
                hours,
                "hours",
                extended ? prices.eksExtendedSupport.usd : prices.eksControlPlane.usd,
              ),
            ]);
            break;
          }
          case "aws_eks_node_group": {
            const types = list(r.instance_types).map(String);
            const scaling = record(r.scaling_config);
            const desired = Number(scaling.desired_size ?? scaling.min_size ?? 0);
            const spot = r.capacity_type === "SPOT";
            const hourly = types.reduce((n, t) => n + instanceHourly(prices, t), 0) / Math.max(1, types.length);
            const price = spot ? hourly * spotShare : hourly;
            const label = `${spot ? "spot" : "on-demand"} ${types[0]}${types.length > 1 ? ` +${types.length - 1} types` : ""} × ${desired} (${scaling.min_size}–${scaling.max_size})`;
            const components = [line(`Instance usage: ${label}`, hours * desired, "hours", price)];
            const template = launchTemplates.get(String(record(r.launch_template).id ?? "").replace(/^\$\{(.+)\.id\}$/, "$1"));
            const volume = record(record(list(template?.block_device_mappings)[0]).ebs);
            if (volume.volume_size)
              components.push(
                line(
                  `Root volumes: ${volume.volume_type ?? "gp3"} ${volume.volume_size} GB × ${desired}`,
                  Number(volume.volume_size) * desired,
                  "GB",
                  prices.ebsGp3GbMonth.usd,
                ),
              );
            const onDemand = hours * desired * hourly;
            const commitments = spot
              ? undefined
              : {
                  reserved1yNoUpfront: round(onDemand * prices.commitments.reserved1yNoUpfront.usd),
                  reserved3yNoUpfront: round(onDemand * prices.commitments.reserved3yNoUpfront.usd),
                  computeSavingsPlan1yNoUpfront: round(onDemand * prices.commitments.computeSavingsPlan1yNoUpfront.usd),
                };
            add(address, components, commitments);
            break;
          }
          case "aws_nat_gateway":
            add(address, [
              line("NAT gateway", hours, "hours", prices.natGatewayHour.usd),
              line(
                "Data processed (assumed, shared by all NAT gateways)",
                usage.natDataGb / Math.max(1, natCount),
                "GB",
                prices.natGatewayGb.usd,
              ),
            ]);
            break;
          case "aws_eip":
            add(address, [line("Public IPv4 address", hours, "hours", prices.publicIpv4Hour.usd)]);
            break;
          case "aws_vpc_endpoint": {
            if (r.vpc_endpoint_type !== "Interface") break;
            const azs = Math.max(1, list(r.subnet_ids).length);
            add(address, [
              line(`Interface endpoint × ${azs} zones`, hours * azs, "hours", prices.interfaceEndpointHourPerAz.usd),
              line(
                "Data processed (assumed)",
                usage.endpointDataGb / Math.max(1, interfaceEndpoints),
                "GB",
                prices.interfaceEndpointGb.usd,
              ),
            ]);
            break;
          }
          case "aws_kms_key":
            add(address, [line("Customer managed key", 1, "months", prices.kmsKeyMonth.usd)]);
            break;
          case "aws_secretsmanager_secret":
            add(address, [line("Secret", 1, "months", prices.secretMonth.usd)]);
            break;
          case "aws_cloudwatch_log_group": {
            const logName = String(r.name ?? name);
            const kind = /\/aws\/eks\//.test(logName)
              ? "controlPlane"
              : /flow/.test(logName)
                ? "flowLogs"
                : /trail|audit/.test(logName)
                  ? "audit"
                  : "other";
            const groups = all.flatMap((s) => Object.values(record(record(s.resource).aws_cloudwatch_log_group)).map(record));
            const sameKind = groups.filter((g) => {
              const n = String(g.name ?? "");
              return (
                (kind === "controlPlane" && /\/aws\/eks\//.test(n)) ||
                (kind === "flowLogs" && /flow/.test(n)) ||
                (kind === "audit" && /trail|audit/.test(n)) ||
                (kind === "other" && !/\/aws\/eks\/|flow|trail|audit/.test(n))
              );
            }).length;
            const ingest = usage.logIngestGb[kind] / Math.max(1, sameKind);
            const retentionMonths = Number(r.retention_in_days ?? 30) / 30;
            add(address, [
              line(`Ingestion (assumed, ${kind})`, ingest, "GB", prices.logsIngestGb.usd),
              line(`Storage (${r.retention_in_days ?? "?"} days retained)`, ingest * retentionMonths, "GB", prices.logsStoreGbMonth.usd),
            ]);
            break;
          }
          case "aws_s3_bucket": {
            const bucket = String(r.bucket ?? name);
            const kind = /backup/.test(bucket) ? "backups" : /audit|trail/.test(bucket) ? "audit" : "other";
            add(address, [line(`Standard storage (assumed, ${kind})`, usage.s3StoredGb[kind], "GB", prices.s3StandardGbMonth.usd)]);
            break;
          }
          case "aws_ecr_repository":
            add(address, [line("Image storage (assumed)", usage.ecrStoredGbPerRepository, "GB", prices.ecrStorageGbMonth.usd)]);
            break;
          case "aws_cloudtrail":
            if (trailHasDataEvents)
              add(address, [
                line(
                  "S3 data events (assumed)",
                  usage.cloudtrailDataEvents / 100_000,
                  "100k events",
                  prices.cloudtrailDataEventsPer100k.usd,
                ),
              ]);
            break;
          case "helm_release": {
            const volumes = persistentVolumes(list(r.values));
            add(
              address,
              volumes.map((v) =>
                line(
                  `Persistent volume ${v.path}${v.replicas > 1 ? ` × ${v.replicas}` : ""} (gp3)`,
                  v.gb * v.replicas,
                  "GB",
                  prices.ebsGp3GbMonth.usd,
                ),
              ),
            );
            break;
          }
          default:
            break;
        }
      }
    }
    // One ALB per ingress group (the load balancer controller shares an ALB within a group).
    const groups = new Set(
      Object.values(record(record(json.resource).kubernetes_ingress_v1)).map((i) =>
        String(record(record(record(i).metadata).annotations)["alb.ingress.kubernetes.io/group.name"] ?? record(record(i).metadata).name),
      ),
    );
    for (const group of [...groups].sort()) {
      add(`alb.${group.replace(/[^a-z0-9]+/gi, "_")} (created by the load balancer controller)`, [
        line("Application Load Balancer", hours, "hours", prices.albHour.usd),
        line("Load balancer capacity units (assumed)", hours * usage.albLcus, "LCU-hours", prices.albLcuHour.usd),
      ]);
    }
    resources.sort((a, b) => a.address.localeCompare(b.address));
    stackCosts.push({ stack, resources, monthly: round(resources.reduce((n, r) => n + r.monthly, 0)) });
  }
  return {
    env,
    region: prices.region,
    pricesAsOf: prices.asOf,
    stacks: stackCosts,
    monthly: round(stackCosts.reduce((n, s) => n + s.monthly, 0)),
    usage,
  };
}

/** Persistent volumes requested in Helm values (`…volumeClaimTemplate…storage: 200Gi`, `persistence.size: 10Gi`), with the replicas of the spec that asks. */
function persistentVolumes(values: unknown[]): { path: string; gb: number; replicas: number }[] {
  const found: { path: string; gb: number; replicas: number }[] = [];
  const walk = (v: unknown, path: string, replicas: number): void => {
    if (typeof v === "string") {
      const m = /^(\d+)Gi$/.exec(v);
      if (m && (/volumeClaimTemplate.*\.storage$/.test(path) || /persistence\.size$/.test(path)))
        found.push({ path, gb: Number(m[1]), replicas });
      return;
    }
    if (typeof v !== "object" || v === null) return;
    const here = typeof (v as Json).replicas === "number" ? ((v as Json).replicas as number) : replicas;
    for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, here);
  };
  for (const text of values) {
    try {
      walk(JSON.parse(String(text)), "", 1);
    } catch {
      // values that are not JSON hold no volume sizes Shipyard writes
    }
  }
  return found.map((f) => ({
    ...f,
    path: f.path.replace(
      /\.(volumeClaimTemplate\.spec\.resources\.requests\.storage|storageSpec\.volumeClaimTemplate\.spec\.resources\.requests\.storage|persistence\.size)$/,
      "",
    ),
  }));
}
