using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Customers;
using Workbench.Core.Quality;
using Workbench.Core.Data;
using Workbench.Core.Segments;
using Workbench.Core.Kpis;

namespace Workbench.Core.Jobs;

// The derived datasets. Their order is what they name in DependsOn (and Priority among equals), never the order of
// these classes or of their registration.
public sealed class CustomerStatsJob(StoreLocation store) : IJob
{
    public const string JobName = "customer-stats";
    public string Name => JobName;
    public string Title => "Customer statistics";
    public IReadOnlyList<string> DependsOn => [];
    public int Priority => 0;

    public async Task<long> RunAsync(JobContext context, CancellationToken ct)
    {
        await using var connection = await StoreConnections.OpenAsync(store, ct);
        await using var tx = await connection.BeginWriteAsync(ct);
        var rows = await connection.ExecuteAsync(context.Scope.Everyone ? CustomerStatsBuilder.RebuildSql : CustomerStatsBuilder.RefreshTouchedSql, ct);
        await tx.CommitAsync(ct);
        // Deleted and inserted rows both count in the statement's changes; the rows written are the inserts.
        return context.Scope.Everyone
            ? await connection.ScalarAsync<long>("SELECT COUNT(*) FROM customer_stats", ct)
            : await connection.ScalarAsync<long>("SELECT COUNT(*) FROM touched_customers t JOIN customer_stats s ON s.customer_id = t.customer_id", ct);
    }
}

// The monthly KPI cells of the KPI overview: the touched customers' months taken out and put back, or all rebuilt.
// The cells depend on the order lines and profiles only, never on the date, so the daily run rebuilds them only when
// the data asks for everyone; otherwise it brings the touched customers' months up to date (none on a quiet store).
public sealed class KpiMonthsJob(StoreLocation store) : IJob
{
    public const string JobName = "kpi-months";
    public string Name => JobName;
    public string Title => "Monthly figures";
    public IReadOnlyList<string> DependsOn => [];
    public int Priority => 2;

    public async Task<long> RunAsync(JobContext context, CancellationToken ct)
    {
        await using var connection = await StoreConnections.OpenAsync(store, ct);
        await using var tx = await connection.BeginWriteAsync(ct);
        var scope = context.Scope;
        var rows = scope.Everyone && (scope.Trigger != JobTrigger.Daily || scope.ChangedForEveryone)
            ? await KpiMonthsBuilder.RebuildAsync(connection, ct)
            : await KpiMonthsBuilder.RefreshTouchedAsync(connection, ct);
        await tx.CommitAsync(ct);
        return rows;
    }
}

public sealed class CustomerFeaturesJob(FeatureService features, IncrementalFeatures incremental) : IJob
{
    public const string JobName = "customer-features";
    public string Name => JobName;
    public string Title => "Customer features";
    public IReadOnlyList<string> DependsOn => [];
    public int Priority => 1;

    // Touched customers against the stored population figures; everyone in one streaming pass, refitting the figures on
    // the daily run and on demand, holding them after a large import. No figures stored yet, or figures fitted before
    // anyone bought (a first load: customers before their lines): a full rebuild fits them.
    public async Task<long> RunAsync(JobContext context, CancellationToken ct)
    {
        var scope = context.Scope;
        var figures = scope.Refit ? null : await incremental.LoadFiguresAsync(ct);
        if (figures is { Buyers: 0 }) figures = null;
        if (!scope.Everyone && figures is not null)
            return (await incremental.UpdateTouchedAsync(figures, context.AsProgress(), ct)).Customers;
        return (await features.RebuildAsync(figures, context.AsProgress(), ct)).Customers;
    }
}

public sealed class SegmentMembershipsJob(SegmentService segments) : IJob
{
    public const string JobName = "segment-memberships";
    public string Name => JobName;
    public string Title => "Segment memberships";
    public IReadOnlyList<string> DependsOn => [CustomerFeaturesJob.JobName];
    public int Priority => 1;

    public async Task<long> RunAsync(JobContext context, CancellationToken ct) => context.Scope.Everyone
        ? (await segments.RefreshAllAsync(ct)).Segments
        : (await segments.RefreshTouchedAsync(ct)).Segments;
}

public sealed class QualitySnapshotJob(QualityService quality) : IJob
{
    public string Name => "quality-snapshot";
    public string Title => "Data quality snapshot";
    // The inactive-customer check reads customer_stats.
    public IReadOnlyList<string> DependsOn => [CustomerStatsJob.JobName];
    public int Priority => 10;

    // After an import only the checks reading the imported table are recomputed (the others carried over); daily and on
    // demand, all of them.
    public async Task<long> RunAsync(JobContext context, CancellationToken ct)
    {
        var snapshot = await quality.RecordSnapshotAsync(context.Scope.ImportRunId, ct, context.Scope.ImportRunId is null ? null : context.Scope.ImportedTable);
        context.Report($"score {snapshot.Score:0.0}");
        return 1;
    }
}
