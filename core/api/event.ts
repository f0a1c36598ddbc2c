/**
 * The subset of API Gateway's HTTP API payload format 2.0 that the message API reads and writes
 * (there is no @types/aws-lambda here). The Lambda receives it from API Gateway; the local
 * gateway (scripts/local/api-gateway.ts) builds the same shape.
 */
export interface ApiGatewayV2Event {
  version: '2.0';
  /** 'GET /v1/conversations/{groupUuid}/messages': the matched route, one of API_ROUTE_KEYS. */
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  /** Lower-cased names; repeated headers joined with commas. */
  headers: Record<string, string | undefined>;
  /** Absent without a query string; repeated parameters joined with commas. */
  queryStringParameters?: Record<string, string | undefined>;
  /** URL-decoded. */
  pathParameters?: Record<string, string | undefined>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    /** '12/Mar/2020:19:03:58 +0000' */
    time: string;
    timeEpoch: number;
    /** Set by the JWT authorizer: the verified token's claims, every value as a string. */
    authorizer?: {
      jwt: { claims: Record<string, string | number | boolean | string[]>; scopes: string[] | null };
    };
  };
  body?: string;
  isBase64Encoded: boolean;
}

export interface ApiGatewayV2Result {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export type ApiHandler = (event: ApiGatewayV2Event) => Promise<ApiGatewayV2Result>;

/** The token of an `Authorization: Bearer <token>` header, as API Gateway's JWT authorizer reads it. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}
