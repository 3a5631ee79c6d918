/** Every KPI route that answers a table (as CSV too), and the field of its JSON answer that holds the table. */
export const KPI_TABLE_ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['/v1/kpis/pended-queue', 'byDimension'],
  ['/v1/kpis/pended-queue/flow', 'days'],
  ['/v1/kpis/pended-queue/work-queue', 'items'],
  ['/v1/kpis/denials?source=billing_export', 'rows'],
  ['/v1/kpis/denials/root-causes', 'rows'],
  ['/v1/kpis/adjustments', 'rows'],
  ['/v1/kpis/payments?groupBy=payer', 'rows'],
  ['/v1/kpis/volume', 'rows'],
  ['/v1/kpis/top?kind=hcpcs', 'rows'],
  ['/v1/kpis/claim-lifecycle', 'payerLag'],
  ['/v1/kpis/pmpm', 'rows'],
  ['/v1/kpis/chronic-conditions', 'conditions'],
  ['/v1/kpis/outlier-providers', 'rows'],
  ['/v1/kpis/provider-adjustments', 'rows'],
  ['/v1/kpis/denials/claims?source=billing_export', 'items'],
  ['/v1/kpis/payments/claims', 'items'],
];
