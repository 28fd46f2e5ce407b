/** A figure with where it comes from, so a reviewer can check and refresh it. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

/** Prices of one region, in USD, as of `asOf`. */
export interface PriceTable {
  readonly region: string;
  /** When the figures were taken from their sources (YYYY-MM-DD). */
  readonly asOf: string;
  readonly hoursPerMonth: number;
  /** EC2 Linux on-demand, per hour, by instance type (`m6i.large`); other sizes of a family scale linearly from `.large`. */
  readonly ec2OnDemandLarge: Readonly<Record<string, number>>;
  readonly ec2Source: string;
  /** Price ratios to on-demand for always-on capacity: reserved instances and savings plans. */
  readonly commitments: Readonly<Record<"reserved1yNoUpfront" | "reserved3yNoUpfront" | "computeSavingsPlan1yNoUpfront", Price>>;
  /** Average spot price as a share of on-demand, for the families Shipyard's spot groups use. */
  readonly spotShareOfOnDemand: Price;
  readonly eksControlPlane: Price;
  readonly eksExtendedSupport: Price;
  readonly natGatewayHour: Price;
  readonly natGatewayGb: Price;
  readonly publicIpv4Hour: Price;
  readonly interfaceEndpointHourPerAz: Price;
  readonly interfaceEndpointGb: Price;
  readonly ebsGp3GbMonth: Price;
  readonly albHour: Price;
  readonly albLcuHour: Price;
  readonly kmsKeyMonth: Price;
  readonly secretMonth: Price;
  readonly logsIngestGb: Price;
  readonly logsStoreGbMonth: Price;
  readonly s3StandardGbMonth: Price;
  readonly ecrStorageGbMonth: Price;
  readonly cloudtrailDataEventsPer100k: Price;
}
