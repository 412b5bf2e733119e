// Grafana's own TypeScript types (@grafana/schema, the version of the
// Grafana image in deploy/compose.yaml) applied to the dashboard JSON.
// check_static.sh writes dashboard.ts = `import type { CheckedDashboard }
// from './dashboard_types'; export const dashboard: CheckedDashboard = <json>;`
// and runs tsc on it. Enums become their literal values (JSON has no enums).
import type { Dashboard, Panel, RowPanel, FieldConfigSource, AnnotationQuery, DataQuery } from '@grafana/schema';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';

type Lit<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? Lit<U>[]
      : T extends object
        ? { [K in keyof T]: Lit<T[K]> }
        : T;

type PromTarget = Lit<DataQuery> & { expr: string; legendFormat?: string; instant?: boolean; range?: boolean; editorMode?: 'code' | 'builder'; interval?: string };

type Common = Omit<Lit<Panel>, 'options' | 'fieldConfig' | 'targets' | 'type'> & { targets: PromTarget[] };
type TimeSeriesPanel = Common & {
  type: 'timeseries';
  options: Lit<Partial<TimeSeries.Options>>;
  fieldConfig: Lit<FieldConfigSource<Partial<TimeSeries.FieldConfig>>>;
};
type StatPanel = Common & {
  type: 'stat';
  options: Lit<Partial<Stat.Options>>;
  fieldConfig: Lit<FieldConfigSource>;
};
type Row = Omit<Lit<RowPanel>, 'type'> & { type: 'row' };
// The Prometheus data source still reads titleFormat/textFormat/tagKeys at
// the annotation's top level.
type PromAnnotation = Lit<AnnotationQuery<PromTarget>> & { titleFormat?: string; textFormat?: string; tagKeys?: string };

export type CheckedDashboard = Omit<Lit<Dashboard>, 'panels' | 'annotations'> & {
  panels: (TimeSeriesPanel | StatPanel | Row)[];
  annotations: { list: (Lit<AnnotationQuery> | PromAnnotation)[] };
};
